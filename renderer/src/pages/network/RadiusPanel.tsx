import { Badge, Card, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import type { OutputOf } from '../../../../shared/api/contract';
import { callApi } from '../../api/hooks';
import { LoadError } from '../../components/LoadError';
import { PagedTable } from '../../components/RecordTable';
import { SearchField } from '../../components/SearchField';
import { formatDateTime } from '../../lib/format';
import { usePagedList } from '../../lib/use-paged-list';
import { formatBytes } from '../usage/bytes';

type Status = OutputOf<'radius.status'>;
type Session = OutputOf<'radius.sessions'>['rows'][number];

/** Why requests were dropped, in words staff read (keys as the server counts them). */
const DROP_LABELS: Record<keyof Status['counters']['dropped'], string> = {
  unknownClient: 'Unknown client (not a router, or no RADIUS secret)',
  badAuthenticator: 'Wrong secret (bad authenticator)',
  missingMessageAuthenticator: 'Missing Message-Authenticator',
  malformed: 'Malformed packet',
  wrongPort: 'Sent to the wrong port',
  invalidRequest: 'Invalid request',
  storeFailed: 'Could not store accounting',
  internal: 'Internal error',
};

const REJECT_LABELS: Record<keyof Status['counters']['rejected'], string> = {
  unknownLogin: 'Unknown login',
  wrongPassword: 'Wrong password',
  notServed: 'Not to be served',
};

/** "2 h 05 min", "3 d 4 h": how long a session has been up. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min`;
  return `${s} s`;
}

function Counter({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} size="lg" className="tabular" data-testid={testId}>
        {value.toLocaleString('en-US')}
      </Text>
    </Stack>
  );
}

/** The built-in RADIUS server as its last heartbeat reported it, refreshed every few seconds. */
export function RadiusStatusCard() {
  // Counters move while routers authenticate: keep them current while someone watches.
  const status = useQuery({ queryKey: ['radius.status', {}], queryFn: () => callApi('radius.status', {}), refetchInterval: 3_000 });
  if (status.error && !status.data) return <LoadError what="RADIUS server state" error={status.error} onRetry={() => void status.refetch()} />;
  const s = status.data;
  const c = s?.counters;
  const reasons = c ? (Object.keys(DROP_LABELS) as (keyof typeof DROP_LABELS)[]).filter((k) => c.dropped[k] > 0) : [];
  const rejectReasons = c ? (Object.keys(REJECT_LABELS) as (keyof typeof REJECT_LABELS)[]).filter((k) => c.rejected[k] > 0) : [];
  const dropped = c ? Object.values(c.dropped).reduce((a, b) => a + b, 0) : 0;
  return (
    <Card withBorder radius="md" padding="md" data-testid="radius-card" data-listening={s ? String(s.listening) : undefined}>
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Stack gap={0} miw={0}>
          <Text fw={600}>RADIUS server</Text>
          <Text size="xs" c="dimmed" className="tabular" data-testid="radius-ports">
            {s?.listening ? `${s.host ?? ''} · auth ${s.authPort ?? '—'} · acct ${s.acctPort ?? '—'}` : s?.reportedAt ? `Last heard ${formatDateTime(s.reportedAt)}` : 'Not started on this datastore'}
          </Text>
        </Stack>
        <Badge color={s?.listening ? 'teal' : 'gray'} variant="light" radius="sm" data-testid="radius-state">
          {s ? (s.listening ? 'Running' : 'Not running') : '…'}
        </Badge>
      </Group>
      {c && (
        <Stack gap="xs">
          <SimpleGrid cols={3} spacing="xs">
            <Counter label="Auth requests" value={c.authRequests} testId="radius-auth-requests" />
            <Counter label="Accepts" value={c.accepts} testId="radius-accepts" />
            <Counter label="Rejects" value={c.rejects} testId="radius-rejects" />
            <Counter label="Accounting" value={c.acctRequests} testId="radius-acct-requests" />
            <Counter label="Dropped" value={dropped} testId="radius-dropped" />
            <Counter label="Online" value={s.onlineSessions} testId="radius-online" />
          </SimpleGrid>
          {s.startedAt && (
            <Text size="xs" c="dimmed">
              Counting since {formatDateTime(s.startedAt)}
              {s.reportedAt ? ` · as of ${formatDateTime(s.reportedAt)}` : ''}
            </Text>
          )}
          {(reasons.length > 0 || rejectReasons.length > 0) && (
            <Table fz="xs" verticalSpacing={2} data-testid="radius-reasons">
              <Table.Tbody>
                {rejectReasons.map((k) => (
                  <Table.Tr key={k}>
                    <Table.Td>Rejected: {REJECT_LABELS[k]}</Table.Td>
                    <Table.Td ta="right" className="tabular">
                      {c.rejected[k].toLocaleString('en-US')}
                    </Table.Td>
                  </Table.Tr>
                ))}
                {reasons.map((k) => (
                  <Table.Tr key={k} data-testid="radius-drop-reason" data-reason={k}>
                    <Table.Td>Dropped: {DROP_LABELS[k]}</Table.Td>
                    <Table.Td ta="right" className="tabular">
                      {c.dropped[k].toLocaleString('en-US')}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      )}
    </Card>
  );
}

/** Who is online now, from RADIUS accounting: paged on the server, searchable by login, address or name. */
export function OnlineSessionsList() {
  const { text, setText, list, paging } = usePagedList('radius.sessions', {});
  const now = Date.now();
  return (
    <Stack gap="sm">
      <Group justify="flex-end" align="flex-end">
        <SearchField label="Search sessions" placeholder="Login, address or subscription name" value={text} onSearch={setText} style={{ flex: '0 1 320px' }} />
      </Group>
      <PagedTable<Session>
        what="online sessions"
        list={list}
        paging={paging}
        noRecordsText="Nobody is online through RADIUS (no session without a Stop)."
        rowAttributes={(r) => ({ 'data-testid': 'session-row', 'data-login': r.login })}
        columns={[
          { accessor: 'login', title: 'Login' },
          {
            accessor: 'subscriptionName',
            title: 'Subscription',
            render: (r) => (r.subscriptionId ? <Link to={`/subscriptions/${r.subscriptionId}/services`}>{r.subscriptionName}</Link> : <Text span c="dimmed" size="sm">unknown login</Text>),
          },
          { accessor: 'routerName', title: 'Router', render: (r) => r.routerName ?? <span className="tabular">{r.nasAddress}</span> },
          { accessor: 'framedIp', title: 'Address', render: (r) => <span className="tabular">{r.framedIp ?? '—'}</span> },
          { accessor: 'startedAt', title: 'Started', render: (r) => formatDateTime(r.startedAt) },
          { accessor: 'sessionSeconds', title: 'Duration', render: (r) => formatDuration(Math.max(r.sessionSeconds, (now - Date.parse(r.startedAt)) / 1000)) },
          { accessor: 'downloadBytes', title: 'Download', textAlign: 'right', render: (r) => <span className="tabular">{formatBytes(r.downloadBytes)}</span> },
          { accessor: 'uploadBytes', title: 'Upload', textAlign: 'right', render: (r) => <span className="tabular">{formatBytes(r.uploadBytes)}</span> },
        ]}
      />
    </Stack>
  );
}
