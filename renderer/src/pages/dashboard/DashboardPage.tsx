import { BarChart, DonutChart } from '@mantine/charts';
import { Anchor, Card, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { SubscriptionStatus } from '../../../../shared/domain/subscription-status';
import { useApiQuery } from '../../api/hooks';
import { LoadError } from '../../components/LoadError';
import { PageHeader } from '../../components/PageHeader';
import { useMoney } from '../../lib/money';

const STATUS_COLOR: Record<SubscriptionStatus, string> = {
  Active: 'teal.6',
  Inactive: 'gray.5',
  Suspended: 'orange.6',
  Cancelled: 'red.6',
  Completed: 'blue.5',
};

function Figure({ label, value, hint, link, testId, alert }: { label: string; value: ReactNode; hint?: ReactNode; link?: { to: string; text: string }; testId: string; alert?: boolean }) {
  return (
    <Card withBorder radius="md" padding="md" data-testid={testId}>
      <Text size="sm" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text fz={26} fw={700} className="tabular" c={alert ? 'red.8' : undefined} data-testid={`${testId}-value`}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
      {link && (
        <Anchor component={Link} to={link.to} size="sm" mt={4}>
          {link.text}
        </Anchor>
      )}
    </Card>
  );
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** The home page: what a manager checks first each morning, one query behind it. */
export function DashboardPage() {
  const summary = useApiQuery('dashboard.summary', {});
  const { money, error: moneyError } = useMoney();

  if (summary.error || moneyError) return <LoadError what="the home page figures" error={summary.error ?? moneyError} onRetry={() => void summary.refetch()} />;
  if (!summary.data || !money) return <Loader m="xl" />;
  const s = summary.data;
  const total = s.subscriptionsByStatus.reduce((sum, x) => sum + x.count, 0);
  const active = s.subscriptionsByStatus.find((x) => x.status === 'Active')?.count ?? 0;
  const netTrouble = s.network.routersOutOfSync > 0 || s.network.failedChanges > 0;
  // The chart hands back the bar's number: each plan's exact text, looked up by it.
  const exactRevenue = new Map(s.monthlyRecurringByPlan.map((p) => [Number(p.cents), money.formatTotal(p.cents)]));

  return (
    <>
      <PageHeader title="Home" description={`Figures as of ${s.asOf}.`} />
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md" mb="md">
        <Figure testId="home-mrr" label="Monthly recurring revenue" value={money.formatTotal(s.monthlyRecurringCents)} hint={`From ${plural(active, 'active subscription', 'active subscriptions')}, after discounts`} />
        <Figure
          testId="home-overdue"
          label="Overdue"
          value={money.formatTotal(s.overdue.cents)}
          alert={BigInt(s.overdue.cents) > 0n}
          hint={`${plural(s.overdue.invoices, 'invoice', 'invoices')} of ${plural(s.overdue.subscriptions, 'subscription', 'subscriptions')}`}
          link={{ to: '/billing/aging', text: 'Open Aging' }}
        />
        <Figure
          testId="home-to-issue"
          label="Invoices to issue"
          value={s.toIssue.invoices.toLocaleString()}
          hint={`${money.formatTotal(s.toIssue.cents)} in draft invoices`}
          link={{ to: '/billing/invoices', text: 'Open draft invoices' }}
        />
        <Figure
          testId="home-scheduled"
          label="Scheduled changes due"
          value={s.scheduledChanges.due.toLocaleString()}
          alert={s.scheduledChanges.due > 0}
          hint={`${plural(s.scheduledChanges.nextSevenDays, 'more', 'more')} in the next 7 days`}
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
        <Card withBorder radius="md" padding="md" data-testid="home-statuses">
          <Title order={4} mb="xs">
            Subscriptions by status
          </Title>
          <Group wrap="nowrap" align="center">
            <DonutChart
              size={150}
              thickness={24}
              withTooltip
              tooltipDataSource="segment"
              chartLabel={total.toLocaleString()}
              data={s.subscriptionsByStatus.filter((x) => x.count > 0).map((x) => ({ name: x.status, value: x.count, color: STATUS_COLOR[x.status] }))}
            />
            <Stack gap={4}>
              {s.subscriptionsByStatus.map((x) => (
                <Anchor key={x.status} component={Link} to={`/subscriptions?status=${x.status}`} size="sm" c="inherit" data-testid={`home-status-${x.status}`}>
                  <Group gap={6} wrap="nowrap">
                    <Text span c={STATUS_COLOR[x.status]} fw={700}>
                      ●
                    </Text>
                    {x.status}: <b className="tabular">{x.count.toLocaleString()}</b>
                  </Group>
                </Anchor>
              ))}
            </Stack>
          </Group>
        </Card>
        <Card withBorder radius="md" padding="md" data-testid="home-mrr-by-plan" style={{ gridColumn: 'span 2' }}>
          <Title order={4} mb="xs">
            Monthly recurring revenue by plan
          </Title>
          {s.monthlyRecurringByPlan.length === 0 ? (
            <Text c="dimmed" size="sm">
              No recurring services on active subscriptions yet.
            </Text>
          ) : (
            <BarChart
              h={200}
              // Bar lengths need numbers (a float is fine for pixels); the figures shown are the exact totals.
              data={s.monthlyRecurringByPlan.map((p) => ({ plan: p.plan, revenue: Number(p.cents) }))}
              dataKey="plan"
              orientation="vertical"
              yAxisProps={{ width: 140 }}
              valueFormatter={(v) => exactRevenue.get(v) ?? money.format(Math.round(v))}
              series={[{ name: 'revenue', label: 'Per month', color: 'blue.6' }]}
              gridAxis="x"
            />
          )}
        </Card>
        <Card withBorder radius="md" padding="md" data-testid="home-network">
          <Title order={4} mb="xs">
            Network sync
          </Title>
          <Text size="sm" c={netTrouble ? 'red.8' : undefined} data-testid="home-network-text">
            {s.network.routers === 0
              ? 'No routers yet.'
              : `${plural(s.network.routersOutOfSync, 'router', 'routers')} of ${s.network.routers.toLocaleString()} out of sync · ${plural(s.network.pendingChanges, 'change', 'changes')} pending · ${plural(s.network.failedChanges, 'change', 'changes')} failed`}
          </Text>
          <Anchor component={Link} to="/network/status" size="sm" mt={4}>
            Open Network status
          </Anchor>
        </Card>
      </SimpleGrid>
    </>
  );
}
