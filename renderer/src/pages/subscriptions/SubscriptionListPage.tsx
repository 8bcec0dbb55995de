import { Button, Group, Paper, Select, Text, TextInput } from '@mantine/core';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { DataTable, type DataTableSortStatus } from 'mantine-datatable';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import type { OutputOf } from '../../../../shared/api/contract';
import { SUBSCRIPTION_SORT_COLUMNS } from '../../../../shared/api/subscribers';
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from '../../../../shared/domain/subscription-status';
import { useApiQuery } from '../../api/hooks';
import { LoadError } from '../../components/LoadError';
import { PageHeader } from '../../components/PageHeader';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDate } from '../../lib/format';
import { focusFirstRowOnArrowDown, rowKeys } from '../../lib/row-keys';
import { useSettled } from '../../lib/use-debounced';
import { ExportMenu } from '../io/ExportMenu';
import { ImportButton } from '../io/ImportButton';

type Row = OutputOf<'subscriptions.list'>['rows'][number];
type SortColumn = (typeof SUBSCRIPTION_SORT_COLUMNS)[number];

const PAGE_SIZES = [25, 50, 100];

function isSortColumn(value: string | null): value is SortColumn {
  return (SUBSCRIPTION_SORT_COLUMNS as readonly string[]).includes(value ?? '');
}
function isStatus(value: string | null): value is SubscriptionStatus {
  return (SUBSCRIPTION_STATUSES as readonly string[]).includes(value ?? '');
}
function positiveInt(value: string | null, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/**
 * Subscriptions, paged, sorted and filtered by the back end: the window only ever holds one page,
 * so it stays quick at 100,000 rows. The filters live in the address, so going back from a
 * subscription returns to the same page of the same search.
 */
export function SubscriptionListPage() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const status = isStatus(params.get('status')) ? (params.get('status') as SubscriptionStatus) : undefined;
  const engineerId = params.get('engineer') ? positiveInt(params.get('engineer'), 0) || undefined : undefined;
  const page = positiveInt(params.get('page'), 1);
  const pageSize = PAGE_SIZES.includes(Number(params.get('size'))) ? Number(params.get('size')) : 50;
  const sortBy: SortColumn = isSortColumn(params.get('sort')) ? (params.get('sort') as SortColumn) : 'uniqueId';
  const sortDirection = params.get('dir') === 'desc' ? 'desc' : 'asc';

  const [text, setText] = useState(params.get('q') ?? '');
  const query = useSettled(text.trim(), 250);

  const update = (changes: Record<string, string | number | undefined>, resetPage = true) => {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value === undefined || value === '') next.delete(key);
          else next.set(key, String(value));
        }
        if (resetPage) next.delete('page');
        return next;
      },
      { replace: true },
    );
  };

  useEffect(() => {
    if ((params.get('q') ?? '') !== query) update({ q: query });
  }, [query]); // eslint-disable-line react-hooks/exhaustive-deps

  const list = useApiQuery(
    'subscriptions.list',
    { query: query || undefined, status, engineerId, sortBy, sortDirection, page, pageSize },
    { keepPrevious: true },
  );
  const staff = useApiQuery('staff.list', { includeInactive: true }, { staleTime: 30_000 });
  const engineers = useMemo(() => (staff.data ?? []).map((s) => ({ value: String(s.id), label: s.active ? s.name : `${s.name} (inactive)` })), [staff.data]);

  const sortStatus: DataTableSortStatus<Row> = { columnAccessor: sortBy, direction: sortDirection };
  const open = (row: Row) => navigate(`/subscriptions/${row.id}/summary`);

  return (
    <>
      <PageHeader
        title="Subscriptions"
        description={list.data ? `${list.data.total.toLocaleString()} ${list.data.total === 1 ? 'subscription' : 'subscriptions'}${query || status || engineerId ? ' match' : ''}` : ' '}
        actions={
          <>
            <ImportButton kind="subscriptions" />
            <ExportMenu list="subscriptions" filter={{ query: query || undefined, status, engineerId, sortBy, sortDirection }} also={[{ list: 'services', label: 'All services' }]} />
            <Button component={Link} to="/subscriptions/new" leftSection={<IconPlus size={16} />}>
              New subscription
            </Button>
          </>
        }
      />
      <Paper withBorder radius="md" p="sm" mb="sm">
        <Group gap="sm" wrap="wrap">
          <TextInput
            placeholder="Search name, unique ID, contact, phone or email"
            aria-label="Search subscriptions"
            leftSection={<IconSearch size={16} />}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            onKeyDown={focusFirstRowOnArrowDown}
            style={{ flex: '1 1 280px' }}
            data-autofocus
            autoFocus
          />
          <Select
            aria-label="Status"
            placeholder="Any status"
            data={SUBSCRIPTION_STATUSES as unknown as string[]}
            value={status ?? null}
            onChange={(value) => update({ status: value ?? undefined })}
            clearable
            w={170}
          />
          <Select
            aria-label="Engineer"
            placeholder="Any engineer"
            data={engineers}
            value={engineerId ? String(engineerId) : null}
            onChange={(value) => update({ engineer: value ?? undefined })}
            searchable
            clearable
            w={220}
          />
        </Group>
      </Paper>
      {list.error && !list.data ? (
        <LoadError what="subscriptions" error={list.error} onRetry={() => list.refetch()} />
      ) : (
        <DataTable<Row>
          withTableBorder
          borderRadius="md"
          highlightOnHover
          striped
          minHeight={240}
          verticalSpacing="xs"
          fetching={list.isFetching}
          records={list.data?.rows ?? []}
          idAccessor="id"
          totalRecords={list.data?.total ?? 0}
          page={page}
          onPageChange={(p) => update({ page: p }, false)}
          recordsPerPage={pageSize}
          recordsPerPageOptions={PAGE_SIZES}
          onRecordsPerPageChange={(size) => update({ size })}
          recordsPerPageLabel="Rows per page"
          sortStatus={sortStatus}
          onSortStatusChange={(s) => update({ sort: String(s.columnAccessor), dir: s.direction })}
          noRecordsText={query || status || engineerId ? 'No subscription matches these filters.' : 'No subscriptions yet.'}
          onRowClick={({ record }) => open(record)}
          customRowAttributes={(record) => ({
            'data-testid': 'subscription-row',
            'data-unique-id': record.uniqueId,
            ...rowKeys(() => open(record)),
          })}
          columns={[
            { accessor: 'uniqueId', title: 'Unique ID', sortable: true, width: 120, cellsClassName: 'tabular' },
            { accessor: 'name', title: 'Name', sortable: true, ellipsis: true },
            { accessor: 'status', title: 'Status', sortable: true, width: 120, render: (r) => <StatusBadge status={r.status} /> },
            {
              accessor: 'contactName',
              title: 'Contact',
              sortable: true,
              ellipsis: true,
              render: (r) => (
                <>
                  {r.contactName}
                  {r.organizationName && (
                    <Text span c="dimmed" size="xs" ml={6}>
                      {r.organizationName}
                    </Text>
                  )}
                </>
              ),
            },
            { accessor: 'engineerName', title: 'Engineer', sortable: true, ellipsis: true },
            { accessor: 'createdAt', title: 'Created', sortable: true, width: 130, render: (r) => formatDate(r.createdAt) },
          ]}
        />
      )}
    </>
  );
}
