import { Group, Loader, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { OutputOf } from '../../../../shared/api/contract';
import type { SubscriptionStatus } from '../../../../shared/domain/subscription-status';
import { useApiQuery } from '../../api/hooks';
import { LoadError } from '../../components/LoadError';
import { StatusBadge } from '../../components/StatusBadge';
import { useMoney } from '../../lib/money';
import { formatDay, isIsoDate, todayIso } from './dates';
import { Stat } from './Stat';

type Row = OutputOf<'billing.aging'>['rows'][number];

const PAGE_SIZES = [25, 50, 100];
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
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(25);
  const valid = isIsoDate(asOf);
  const report = useApiQuery('billing.aging', { asOf: valid ? asOf : undefined, page, pageSize }, { keepPrevious: true });

  if (!money) return error ? <LoadError what="the currency" error={error} /> : <Loader />;
  const totals = report.data?.totals;

  return (
    <Stack gap="sm">
      <Group align="flex-end">
        <TextInput
          type="date"
          label="As of"
          value={asOf}
          onChange={(e) => {
            setAsOf(e.currentTarget.value);
            setPage(1);
          }}
          error={valid ? null : 'Choose a day'}
          w={200}
        />
      </Group>
      <SimpleGrid cols={{ base: 2, md: 6 }} data-testid="aging-totals">
        {BUCKETS.map(([key, label]) => (
          <Stat key={key} label={label} value={totals ? money.format(totals[key]) : '…'} color={key !== 'currentCents' && totals && totals[key] > 0 ? 'red.8' : undefined} />
        ))}
        <Stat label="Total owed" value={totals ? money.format(totals.totalCents) : '…'} testId="aging-total" />
      </SimpleGrid>
      {report.error && !report.data ? (
        <LoadError what="the aging report" error={report.error} onRetry={() => report.refetch()} />
      ) : (
        <DataTable<Row>
          withTableBorder
          borderRadius="md"
          highlightOnHover
          striped
          minHeight={200}
          verticalSpacing="xs"
          fetching={report.isFetching}
          records={report.data?.rows ?? []}
          idAccessor="subscriptionId"
          totalRecords={report.data?.total ?? 0}
          page={page}
          onPageChange={setPage}
          recordsPerPage={pageSize}
          recordsPerPageOptions={PAGE_SIZES}
          onRecordsPerPageChange={(size) => {
            setPageSize(size);
            setPage(1);
          }}
          recordsPerPageLabel="Rows per page"
          noRecordsText={`Nobody owes anything on ${formatDay(asOf)}.`}
          onRowClick={({ record }) => navigate(`/subscriptions/${record.subscriptionId}/billing`)}
          customRowAttributes={(r) => ({ 'data-testid': 'aging-row', 'data-unique-id': r.uniqueId })}
          columns={[
            { accessor: 'uniqueId', title: 'Unique ID', width: 110, cellsClassName: 'tabular' },
            { accessor: 'name', title: 'Subscription', ellipsis: true },
            { accessor: 'contactName', title: 'Contact', ellipsis: true },
            { accessor: 'status', title: 'Status', width: 130, render: (r) => <StatusBadge status={r.status as SubscriptionStatus} /> },
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
      )}
    </Stack>
  );
}
