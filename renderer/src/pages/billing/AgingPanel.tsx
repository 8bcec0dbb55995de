import { Group, Loader, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { OutputOf } from '../../../../shared/api/contract';
import type { SubscriptionStatus } from '../../../../shared/domain/subscription-status';
import { LoadError } from '../../components/LoadError';
import { PagedTable } from '../../components/RecordTable';
import { StatusBadge } from '../../components/StatusBadge';
import { useMoney } from '../../lib/money';
import { usePagedList } from '../../lib/use-paged-list';
import { formatDay, isIsoDate, todayIso } from './dates';
import { Stat } from './Stat';
import { ExportMenu } from '../io/ExportMenu';

type Row = OutputOf<'billing.aging'>['rows'][number];
const BUCKETS = [
  ['currentCents', 'Current'],
  ['days1to30Cents', '1–30 days'],
  ['days31to60Cents', '31–60 days'],
  ['days61to90Cents', '61–90 days'],
  ['over90Cents', 'Over 90 days'],
] as const;

/** Who owes what, by days past the due date, largest debt first; paged by the back end. */
export function AgingPanel() {
  const navigate = useNavigate();
  const { money, error } = useMoney();
  const [asOf, setAsOf] = useState(todayIso());
  const valid = isIsoDate(asOf);
  // A new day goes back to page 1 (usePagedList).
  const { list: report, paging } = usePagedList('billing.aging', { asOf: valid ? asOf : undefined }, 25);

  if (!money) return error ? <LoadError what="the currency" error={error} /> : <Loader />;
  const totals = report.data?.totals;

  return (
    <Stack gap="sm">
      <Group align="flex-end">
        <TextInput
          type="date"
          label="As of"
          value={asOf}
          onChange={(e) => setAsOf(e.currentTarget.value)}
          error={valid ? null : 'Choose a day'}
          w={200}
        />
        <ExportMenu list="aging" filter={valid ? { asOf } : undefined} />
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} data-testid="aging-totals">
        {BUCKETS.map(([key, label]) => (
          <Stat key={key} label={label} value={totals ? money.formatTotal(totals[key]) : '…'} color={key !== 'currentCents' && totals && BigInt(totals[key]) > 0n ? 'red.8' : undefined} />
        ))}
        <Stat label="Total owed" value={totals ? money.formatTotal(totals.totalCents) : '…'} testId="aging-total" />
      </SimpleGrid>
      <PagedTable<Row>
        what="the aging report"
        list={report}
        paging={paging}
        idAccessor="subscriptionId"
        noRecordsText={`Nobody owes anything on ${formatDay(asOf)}.`}
        onRowClick={(record) => navigate(`/subscriptions/${record.subscriptionId}/billing`)}
        rowAttributes={(r) => ({ 'data-testid': 'aging-row', 'data-unique-id': r.uniqueId })}
        columns={[
          { accessor: 'uniqueId', title: 'Unique ID', width: 110, cellsClassName: 'tabular' },
          // The contact under the subscription's name, when it is someone else: most subscriptions are
          // named after their contact, and a column of repeats would push the totals off a laptop screen.
          {
            accessor: 'name',
            title: 'Subscription',
            render: (r) => (
              <Stack gap={0}>
                <span>{r.name}</span>
                {r.contactName !== r.name && (
                  <Text size="xs" c="dimmed" data-testid="aging-contact">
                    {r.contactName}
                  </Text>
                )}
              </Stack>
            ),
          },
          { accessor: 'status', title: 'Status', width: 120, render: (r) => <StatusBadge status={r.status as SubscriptionStatus} /> },
          ...BUCKETS.map(([key, label]) => ({
            accessor: key,
            title: label,
            textAlign: 'right' as const,
            cellsClassName: 'tabular',
            render: (r: Row) => (r[key] === 0 ? '' : money.format(r[key])),
          })),
          { accessor: 'totalCents', title: 'Total', textAlign: 'right', cellsClassName: 'tabular', render: (r) => <b>{money.format(r.totalCents)}</b> },
        ]}
      />
    </Stack>
  );
}
