import { Button, Space, Tabs } from '@mantine/core';
import { IconAdjustments, IconAlertTriangle, IconCalendarStats, IconFileInvoice, IconPlayerPlay, IconPrinter } from '@tabler/icons-react';
import { Link, Navigate, useNavigate, useParams } from 'react-router-dom';
import { PageHeader } from '../../components/PageHeader';
import { AgingPanel } from './AgingPanel';
import { formatDay, formatMonth, lastFullMonth, todayIso } from './dates';
import { OpenInvoicesPanel } from './OpenInvoicesPanel';
import { printRoutes } from './print';
import { RunsPanel } from './RunsPanel';
import { SettingsPanel } from './SettingsPanel';
import { BackupPanel } from '../backup/BackupPanel';
import { DunningPanel } from './DunningPanel';

export const BILLING_TABS = ['runs', 'invoices', 'aging', 'settings', 'dunning'] as const;
type Tab = (typeof BILLING_TABS)[number];

function isTab(value: string | undefined): value is Tab {
  return (BILLING_TABS as readonly string[]).includes(value ?? '');
}

/** The Billing area: runs, draft invoices, the aging report and settings, each tab at its own address. */
export function BillingPage() {
  const params = useParams<{ tab?: string }>();
  const navigate = useNavigate();
  if (!isTab(params.tab)) return <Navigate to="/billing/runs" replace />;
  const lastMonth = lastFullMonth(todayIso());

  return (
    <>
      <PageHeader
        title="Billing"
        description="Bill every subscription, issue invoices, see who owes what."
        actions={
          <Button
            component={Link}
            to={printRoutes.statements(lastMonth.from, lastMonth.to)}
            variant="light"
            leftSection={<IconPrinter size={16} />}
            title={`Every statement with activity or a balance, ${formatDay(lastMonth.from)} to ${formatDay(lastMonth.to)}, in one document`}
            data-testid="print-month-statements"
          >
            Print statements for {formatMonth(lastMonth.from)}
          </Button>
        }
      />
      <Tabs value={params.tab} onChange={(next) => next && navigate(`/billing/${next}`)} keepMounted={false} variant="outline">
        <Tabs.List mb="md">
          <Tabs.Tab value="runs" leftSection={<IconPlayerPlay size={16} />}>
            Runs
          </Tabs.Tab>
          <Tabs.Tab value="invoices" leftSection={<IconFileInvoice size={16} />}>
            Draft invoices
          </Tabs.Tab>
          <Tabs.Tab value="aging" leftSection={<IconCalendarStats size={16} />}>
            Aging
          </Tabs.Tab>
          <Tabs.Tab value="settings" leftSection={<IconAdjustments size={16} />}>
            Settings
          </Tabs.Tab>
          <Tabs.Tab value="dunning" leftSection={<IconAlertTriangle size={16} />}>
            Dunning
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="runs">
          <RunsPanel />
        </Tabs.Panel>
        <Tabs.Panel value="invoices">
          <OpenInvoicesPanel />
        </Tabs.Panel>
        <Tabs.Panel value="aging">
          <AgingPanel />
        </Tabs.Panel>
        <Tabs.Panel value="settings">
          <SettingsPanel />
          <Space h="xl" />
          <BackupPanel />
        </Tabs.Panel>
        <Tabs.Panel value="dunning">
          <DunningPanel />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
