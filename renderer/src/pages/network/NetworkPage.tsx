import { Alert, Badge, Button, Card, Group, List, SimpleGrid, Stack, Tabs, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { OutputOf } from '../../../../shared/api/contract';
import { callApi } from '../../api/hooks';
import { LoadError } from '../../components/LoadError';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable } from '../../components/RecordTable';
import { formatDateTime, plural } from '../../lib/format';
import { usePagedList } from '../../lib/use-paged-list';
import { NetworkStateBadge } from './NetworkStateBadge';
import { UsageSettingsPanel } from '../usage/UsageSettingsPanel';
import { OnlineSessionsList, RadiusStatusCard } from './RadiusPanel';

type RouterState = OutputOf<'network.overview'>[number];
type Withheld = OutputOf<'network.withheld'>['rows'][number];
type Drift = OutputOf<'network.drift'>['rows'][number];

/** How the router stands, in one word and a colour. */
function connection(r: RouterState): { label: string; color: string } {
  if (!r.managed) return { label: 'Not managed', color: 'gray' };
  if (r.reachable === false) return { label: 'Unreachable', color: 'red' };
  if (r.reachable === null) return { label: 'Not synced yet', color: 'gray' };
  if (r.failed.length > 0) return { label: 'Changes refused', color: 'orange' };
  if (r.pending > 0) return { label: 'Pending', color: 'yellow' };
  return { label: 'In sync', color: 'teal' };
}

const DYNAMIC_KIND = { coa: 'CoA', disconnect: 'Disconnect' } as const;

/** CoA and Disconnect-Requests for live RADIUS sessions on this router: waiting, and not delivered (with what the NAS said). */
function DynamicRequests({ router }: { router: RouterState }) {
  const { pending, failed } = router.dynamic;
  if (pending === 0 && failed.length === 0) return null;
  return (
    <Stack gap={6} mt={6} data-testid="router-coa">
      {pending > 0 && (
        <Text size="sm" data-testid="router-coa-pending">
          {plural(pending, 'CoA / Disconnect request')} waiting to be sent
        </Text>
      )}
      {failed.length > 0 && (
        <Alert color="red" variant="light" p="xs" icon={<IconAlertTriangle size={16} />} title={`${plural(failed.length, 'session')} not changed yet (retrying)`} data-testid="router-coa-failed">
          <List size="xs" spacing={2}>
            {failed.slice(0, 5).map((f) => (
              <List.Item key={f.serviceId}>
                <Text span size="xs" fw={600}>
                  {f.login ?? `Service ${f.serviceId}`}
                </Text>{' '}
                {DYNAMIC_KIND[f.kind]} ({f.reason}): {f.message}
                {f.nextAttemptAt ? ` · next try ${formatDateTime(f.nextAttemptAt)}` : ''}
              </List.Item>
            ))}
            {failed.length > 5 && <List.Item>… and {failed.length - 5} more</List.Item>}
          </List>
        </Alert>
      )}
    </Stack>
  );
}

function RouterCard({ router }: { router: RouterState }) {
  const queryClient = useQueryClient();
  const [syncing, setSyncing] = useState(false);
  const state = connection(router);
  const outbox = useQuery({
    queryKey: ['network.outbox', { routerId: router.routerId, pageSize: 5 }],
    queryFn: () => callApi('network.outbox', { routerId: router.routerId, page: 1, pageSize: 5 }),
    enabled: router.pending > 0,
  });

  const syncNow = async () => {
    setSyncing(true);
    try {
      const r = await callApi('network.sync', { routerId: router.routerId });
      notifications.show(
        r.error
          ? { color: 'red', title: `${router.routerName}: sync did not finish`, message: r.error }
          : { color: 'teal', title: `${router.routerName} synced`, message: `${r.created} created, ${r.updated} updated, ${r.removed} removed, ${r.unchanged} unchanged` },
      );
    } catch (error) {
      notifications.show({ color: 'red', title: `${router.routerName}: sync failed`, message: error instanceof Error ? error.message : String(error) });
    } finally {
      setSyncing(false);
      await queryClient.invalidateQueries();
    }
  };

  return (
    <Card withBorder radius="md" padding="md" data-testid="router-sync-card" data-router={router.routerName} data-state={state.label}>
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Stack gap={0} miw={0}>
          <Text fw={600} truncate>
            {router.routerName}
          </Text>
          <Text size="xs" c="dimmed" className="tabular">
            {router.address}
          </Text>
        </Stack>
        <Badge color={state.color} variant="light" radius="sm" data-testid="router-sync-state">
          {state.label}
        </Badge>
      </Group>
      {!router.managed ? (
        <Text size="sm" c="dimmed">
          {router.notManagedReason}
        </Text>
      ) : (
        <Stack gap={6}>
          <Text size="sm">
            Last sync: <span data-testid="router-last-sync">{router.lastSyncAt ? formatDateTime(router.lastSyncAt) : 'never'}</span>
            {router.lastSyncAt && (
              <Text span size="xs" c="dimmed">
                {' '}
                ({router.lastCounts.created} created, {router.lastCounts.updated} updated, {router.lastCounts.removed} removed, {router.lastCounts.unchanged} unchanged)
              </Text>
            )}
          </Text>
          <Text size="sm" data-testid="router-pending">
            {router.pending === 0 ? 'Nothing pending' : `${plural(router.pending, 'change')} pending`}
            {router.nextAttemptAt && router.pending > 0 ? ` · next try ${formatDateTime(router.nextAttemptAt)}` : ''}
          </Text>
          {router.pending > 0 && outbox.data && (
            <List size="xs" c="dimmed" spacing={0}>
              {outbox.data.rows.map((o) => (
                <List.Item key={o.id}>{o.reason}</List.Item>
              ))}
              {outbox.data.total > outbox.data.rows.length && <List.Item>… and {outbox.data.total - outbox.data.rows.length} more</List.Item>}
            </List>
          )}
          <Text size="sm">
            Drift repaired: {router.driftRepaired}
            {router.driftFound > router.driftRepaired ? ` of ${router.driftFound} found` : ''}
          </Text>
          {router.reachable === false && router.lastError && (
            <Alert color="red" variant="light" p="xs" icon={<IconAlertTriangle size={16} />} data-testid="router-error">
              {router.lastError}
            </Alert>
          )}
          {router.failed.length > 0 && (
            <Alert color="orange" variant="light" p="xs" title={`${plural(router.failed.length, 'change')} refused by the router`} data-testid="router-failed">
              <List size="xs" spacing={0}>
                {router.failed.slice(0, 5).map((f) => (
                  <List.Item key={`${f.menu}|${f.key}`}>
                    {f.menu} {f.key.replace('towerline:', '')}: {f.message}
                  </List.Item>
                ))}
              </List>
            </Alert>
          )}
        </Stack>
      )}
      <DynamicRequests router={router} />
      <Group justify="flex-end" mt="sm">
        <Button size="xs" variant="light" leftSection={<IconRefresh size={14} />} loading={syncing} disabled={!router.managed} onClick={syncNow}>
          Sync now
        </Button>
      </Group>
    </Card>
  );
}

function WithheldList() {
  const { list, paging } = usePagedList('network.withheld', {});
  return (
    <PagedTable<Withheld>
      what="suspended subscribers"
      list={list}
      paging={paging}
      idAccessor="serviceId"
      noRecordsText="Every subscriber on a managed router is served."
      rowAttributes={() => ({ 'data-testid': 'withheld-row' })}
      columns={[
        { accessor: 'uniqueId', title: 'Subscription', render: (r) => <Link to={`/subscriptions/${r.subscriptionId}/services`}>{r.uniqueId}</Link> },
        { accessor: 'subscriptionName', title: 'Name' },
        { accessor: 'subscriptionStatus', title: 'Why', render: (r) => (r.serving === 'suspend' ? `Subscription ${r.subscriptionStatus}` : r.subscriptionStatus === 'Active' ? `Service ${r.serviceStatus}` : `Subscription ${r.subscriptionStatus}`) },
        { accessor: 'login', title: 'Login' },
        { accessor: 'address', title: 'Address', render: (r) => <span className="tabular">{r.address ?? 'by profile'}</span> },
        { accessor: 'routerName', title: 'Router' },
        { accessor: 'state', title: 'On the router', render: (r) => <NetworkStateBadge state={{ serviceId: r.serviceId, serving: r.serving, state: r.state, message: null, routerName: r.routerName }} /> },
      ]}
    />
  );
}

function DriftLog() {
  const { list, paging } = usePagedList('network.drift', {});
  return (
    <PagedTable<Drift>
      what="drift"
      list={list}
      paging={paging}
      noRecordsText="No drift found: every router held what Towerline wrote."
      rowAttributes={() => ({ 'data-testid': 'drift-row' })}
      columns={[
        { accessor: 'foundAt', title: 'Found', render: (d) => formatDateTime(d.foundAt) },
        { accessor: 'routerName', title: 'Router' },
        { accessor: 'menu', title: 'Menu', render: (d) => <span className="tabular">{d.menu}</span> },
        { accessor: 'key', title: 'Object', render: (d) => d.key.replace('towerline:', '') },
        { accessor: 'kind', title: 'What' },
        { accessor: 'detail', title: 'Detail' },
        { accessor: 'repaired', title: 'Repaired', render: (d) => <Badge color={d.repaired ? 'teal' : 'red'} variant="light" radius="sm">{d.repaired ? 'repaired' : 'not repaired'}</Badge> },
      ]}
    />
  );
}

/**
 * The Network area: whether each router holds what billing says (connection, last sync, pending
 * and refused changes with the router's message, drift repaired, "Sync now"), who the network
 * withholds service from, and the drift log.
 */
export function NetworkPage() {
  const overview = useQuery({
    queryKey: ['network.overview', {}],
    queryFn: () => callApi('network.overview', {}),
    // Pending changes drain in the background: keep the cards current while someone watches.
    refetchInterval: 3_000,
  });
  const [tab, setTab] = useState<string | null>('withheld');

  return (
    <>
      <PageHeader title="Network status" description="What billing says, on every router: changes are queued, delivered and checked; anything a router did not take shows here." />
      {overview.error && !overview.data ? (
        <LoadError what="routers" error={overview.error} onRetry={() => void overview.refetch()} />
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} mb="lg" data-testid="router-sync-cards">
          {(overview.data ?? []).map((r) => (
            <RouterCard key={r.routerId} router={r} />
          ))}
          <RadiusStatusCard />
        </SimpleGrid>
      )}
      {overview.data?.length === 0 && (
        <Text c="dimmed" mb="lg">
          No routers yet. <Link to="/network/routers">Add one</Link> with its API user and password and Towerline keeps it in step with billing.
        </Text>
      )}
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="sm">
          <Tabs.Tab value="withheld">Suspended on the network</Tabs.Tab>
          <Tabs.Tab value="drift">Drift log</Tabs.Tab>
          <Tabs.Tab value="sessions">Online sessions</Tabs.Tab>
          <Tabs.Tab value="usage-settings">Usage settings</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="withheld">
          <WithheldList />
        </Tabs.Panel>
        <Tabs.Panel value="drift">
          <DriftLog />
        </Tabs.Panel>
        <Tabs.Panel value="sessions">
          <OnlineSessionsList />
        </Tabs.Panel>
        <Tabs.Panel value="usage-settings">
          <UsageSettingsPanel />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
