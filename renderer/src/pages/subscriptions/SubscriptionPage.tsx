import { Anchor, Badge, Breadcrumbs, Button, Group, Loader, Paper, SimpleGrid, Stack, Table, Tabs, Text, ThemeIcon } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconArrowsExchange, IconDevices, IconHistory, IconId, IconListDetails, IconPlugConnected, IconWifi } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link, Navigate, useNavigate, useParams } from 'react-router-dom';
import type { OutputOf } from '../../../../shared/api/contract';
import { useApiQuery } from '../../api/hooks';
import { UsageSummary } from '../usage/UsageSummary';
import { LoadError } from '../../components/LoadError';
import { PageHeader } from '../../components/PageHeader';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime } from '../../lib/format';
import { ChangeStatusModal } from './ChangeStatusModal';
import { DevicesTab } from './tabs/DevicesTab';
import { HotspotTab } from './tabs/HotspotTab';
import { ServicesTab } from './tabs/ServicesTab';
import { SubscriptionForm } from './SubscriptionForm';
import { BillingTab, BillingTabIcon } from './tabs/BillingTab';
import { ContractsAndMoves } from './ContractsAndMoves';
import { DunningCard } from './DunningCard';

type Subscription = OutputOf<'subscriptions.get'>;

export const SUBSCRIPTION_TABS = ['summary', 'details', 'services', 'hotspot', 'devices', 'billing'] as const;
type Tab = (typeof SUBSCRIPTION_TABS)[number];

function isTab(value: string | undefined): value is Tab {
  return (SUBSCRIPTION_TABS as readonly string[]).includes(value ?? '');
}

/** One subscription: every tab has its own address, so a tab can be linked, reloaded and gone back to. */
export function SubscriptionPage() {
  const params = useParams<{ id: string; tab?: string }>();
  const navigate = useNavigate();
  const id = Number(params.id);
  const valid = Number.isInteger(id) && id > 0;
  const subscription = useApiQuery('subscriptions.get', { id }, { enabled: valid });
  const [statusOpened, statusModal] = useDisclosure(false);

  if (!valid) return <LoadError what="the subscription" error={new Error(`"${params.id}" is not a subscription id.`)} />;
  if (!isTab(params.tab)) return <Navigate to={`/subscriptions/${id}/summary`} replace />;
  if (subscription.isLoading) return <Loader m="xl" />;
  if (!subscription.data) return <LoadError what="the subscription" error={subscription.error} onRetry={() => subscription.refetch()} />;

  const s = subscription.data;
  const tab = params.tab;

  return (
    <Stack gap={0}>
      <PageHeader
        above={
          <Breadcrumbs separator="›" fz="sm">
            <Anchor component={Link} to="/subscriptions">
              Subscriptions
            </Anchor>
            <span className="tabular">{s.uniqueId}</span>
          </Breadcrumbs>
        }
        title={
          <Group gap="sm" wrap="nowrap">
            <span>{s.name}</span>
            <StatusBadge status={s.status} size="lg" />
          </Group>
        }
        description={
          <>
            <span className="tabular">{s.uniqueId}</span> · {s.contactName}
            {s.organizationName ? ` · ${s.organizationName}` : ''}
          </>
        }
        actions={
          <Button leftSection={<IconArrowsExchange size={16} />} variant="light" onClick={statusModal.open}>
            Change status
          </Button>
        }
      />
      <Tabs value={tab} onChange={(next) => next && navigate(`/subscriptions/${id}/${next}`)} keepMounted={false} variant="outline">
        <Tabs.List mb="md">
          <Tabs.Tab value="summary" leftSection={<IconId size={16} />}>
            Summary
          </Tabs.Tab>
          <Tabs.Tab value="details" leftSection={<IconListDetails size={16} />}>
            Details
          </Tabs.Tab>
          <Tabs.Tab value="services" leftSection={<IconPlugConnected size={16} />} rightSection={<CountBadge n={s.counts.services} />}>
            Services
          </Tabs.Tab>
          <Tabs.Tab value="hotspot" leftSection={<IconWifi size={16} />} rightSection={<CountBadge n={s.counts.hotspotUsers} />}>
            Hotspot
          </Tabs.Tab>
          <Tabs.Tab value="devices" leftSection={<IconDevices size={16} />} rightSection={<CountBadge n={s.counts.devices} />}>
            Devices
          </Tabs.Tab>
          <Tabs.Tab value="billing" leftSection={<BillingTabIcon />}>
            Billing
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="summary">
          <SummaryTab subscription={s} />
        </Tabs.Panel>
        <Tabs.Panel value="details">
          <SubscriptionForm key={s.id} subscription={s} onSaved={() => undefined} />
        </Tabs.Panel>
        <Tabs.Panel value="services">
          <ServicesTab subscription={s} />
        </Tabs.Panel>
        <Tabs.Panel value="hotspot">
          <HotspotTab subscription={s} />
        </Tabs.Panel>
        <Tabs.Panel value="devices">
          <DevicesTab subscription={s} />
        </Tabs.Panel>
        <Tabs.Panel value="billing">
          <BillingTab subscriptionId={s.id} />
        </Tabs.Panel>
      </Tabs>
      <ChangeStatusModal subscription={s} opened={statusOpened} onClose={statusModal.close} />
    </Stack>
  );
}

function CountBadge({ n }: { n: number }) {
  return (
    <Badge size="sm" variant={n > 0 ? 'filled' : 'light'} color={n > 0 ? undefined : 'gray'} circle={n < 10}>
      {n}
    </Badge>
  );
}

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Stack gap={2} miw={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.4}>
        {label}
      </Text>
      <Text size="sm" fw={500} component="div" truncate data-testid={testId}>
        {children}
      </Text>
    </Stack>
  );
}

function SummaryTab({ subscription: s }: { subscription: Subscription }) {
  const history = useApiQuery('subscriptions.history', { id: s.id });
  return (
    <Stack gap="md">
      <Paper withBorder p="md" radius="md">
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 4 }} spacing="lg" verticalSpacing="md">
          <Field label="Unique ID" testId="summary-unique-id">
            <span className="tabular">{s.uniqueId}</span>
          </Field>
          <Field label="Status" testId="summary-status">
            <StatusBadge status={s.status} />
          </Field>
          <Field label="Organization">{s.organizationName ?? <Text span c="dimmed" size="sm">None</Text>}</Field>
          <Field label="Engineer" testId="summary-engineer">
            {s.engineerName}
          </Field>
          <Field label="Contact">{s.contactName}</Field>
          <Field label="Phone">{s.contactPhones[0] ?? <Text span c="dimmed" size="sm">None</Text>}</Field>
          <Field label="Email">{s.contactEmails[0] ?? <Text span c="dimmed" size="sm">None</Text>}</Field>
          <Field label="Bill day">{s.billDay}</Field>
        </SimpleGrid>
      </Paper>
      <SimpleGrid cols={3} spacing="md">
        <Count label="Services" n={s.counts.services} icon={<IconPlugConnected size={18} />} testId="count-services" />
        <Count label="Hotspot users" n={s.counts.hotspotUsers} icon={<IconWifi size={18} />} testId="count-hotspot" />
        <Count label="Devices" n={s.counts.devices} icon={<IconDevices size={18} />} testId="count-devices" />
      </SimpleGrid>
      <DunningCard subscription={s} />
      <UsageSummary subscriptionId={s.id} />
      <ContractsAndMoves subscriptionId={s.id} />
      <Paper withBorder radius="md" p="md">
        <Group gap="xs" mb="sm">
          <IconHistory size={18} />
          <Text fw={600}>Status and activity history</Text>
        </Group>
        {history.error ? (
          <LoadError what="the history" error={history.error} onRetry={() => history.refetch()} />
        ) : (
          <Table striped highlightOnHover verticalSpacing="xs" data-testid="status-history">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>From</Table.Th>
                <Table.Th>To</Table.Th>
                <Table.Th>When</Table.Th>
                <Table.Th>Who</Table.Th>
                <Table.Th>Reason</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {history.isLoading && (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Loader size="sm" />
                  </Table.Td>
                </Table.Tr>
              )}
              {(history.data ?? []).map((h) => (
                <Table.Tr key={h.id} data-testid="history-row">
                  <Table.Td>{h.from ? <StatusBadge status={h.from} /> : <Text span c="dimmed" size="sm">New</Text>}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={h.to} />
                  </Table.Td>
                  <Table.Td className="tabular">{formatDateTime(h.at)}</Table.Td>
                  <Table.Td>{h.by}</Table.Td>
                  <Table.Td>{h.reason ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
    </Stack>
  );
}

function Count({ label, n, icon, testId }: { label: string; n: number; icon: ReactNode; testId: string }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Group gap="sm" wrap="nowrap">
        <ThemeIcon variant="light" size={36} radius="md">
          {icon}
        </ThemeIcon>
        <Stack gap={0}>
          <Text size="xl" fw={700} className="tabular" data-testid={testId}>
            {n.toLocaleString()}
          </Text>
          <Text size="xs" c="dimmed">
            {label}
          </Text>
        </Stack>
      </Group>
    </Paper>
  );
}
