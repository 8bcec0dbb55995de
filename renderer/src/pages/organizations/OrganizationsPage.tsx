import { Button, Paper, Text, TextInput } from '@mantine/core';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import type { OutputOf } from '../../../../shared/api/contract';
import { callApi, useApiQuery } from '../../api/hooks';
import { ConfirmDelete } from '../../components/ConfirmDelete';
import { LoadError } from '../../components/LoadError';
import { PageHeader } from '../../components/PageHeader';
import { RowActions } from '../../components/RowActions';
import { useSettled } from '../../lib/use-debounced';
import { OrganizationFormModal } from './OrganizationFormModal';

type Organization = OutputOf<'organizations.get'>;

const PAGE_SIZES = [25, 50, 100];

export function OrganizationsPage() {
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const query = useSettled(text.trim(), 250);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [editing, setEditing] = useState<Organization | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Organization | null>(null);
  const list = useApiQuery('organizations.list', { query: query || undefined, page, pageSize }, { keepPrevious: true });

  return (
    <>
      <PageHeader
        title="Organizations"
        description="Companies and households that contacts belong to."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
            New organization
          </Button>
        }
      />
      <Paper withBorder radius="md" p="sm" mb="sm">
        <TextInput
          placeholder="Search organizations"
          aria-label="Search organizations"
          leftSection={<IconSearch size={16} />}
          value={text}
          onChange={(e) => {
            setText(e.currentTarget.value);
            setPage(1);
          }}
        />
      </Paper>
      {list.error && !list.data ? (
        <LoadError what="organizations" error={list.error} onRetry={() => list.refetch()} />
      ) : (
        <DataTable<Organization>
          withTableBorder
          borderRadius="md"
          highlightOnHover
          striped
          minHeight={200}
          verticalSpacing="xs"
          fetching={list.isFetching}
          records={list.data?.rows ?? []}
          totalRecords={list.data?.total ?? 0}
          page={page}
          onPageChange={setPage}
          recordsPerPage={pageSize}
          recordsPerPageOptions={PAGE_SIZES}
          onRecordsPerPageChange={(size) => {
            setPageSize(size);
            setPage(1);
          }}
          noRecordsText={query ? 'No organization matches.' : 'No organizations yet.'}
          onRowClick={({ record }) => setEditing(record)}
          customRowAttributes={(record) => ({ 'data-testid': 'organization-row', 'data-organization-id': record.id })}
          columns={[
            { accessor: 'name', title: 'Name', ellipsis: true },
            { accessor: 'kind', title: 'Kind', width: 130 },
            { accessor: 'phone', title: 'Phone', render: (o) => o.phone ?? '' },
            { accessor: 'city', title: 'City', render: (o) => o.city ?? '' },
            { accessor: 'contactCount', title: 'Contacts', textAlign: 'right', width: 100, cellsClassName: 'tabular' },
            { accessor: 'subscriptionCount', title: 'Subscriptions', textAlign: 'right', width: 140, cellsClassName: 'tabular' },
            { accessor: 'actions', title: '', width: 90, render: (o) => <RowActions name={o.name} onEdit={() => setEditing(o)} onDelete={() => setDeleting(o)} /> },
          ]}
        />
      )}
      {editing && <OrganizationFormModal organization={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
      <ConfirmDelete
        opened={deleting !== null}
        title="Delete organization"
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await callApi('organizations.delete', { id: deleting.id });
          await queryClient.invalidateQueries();
        }}
      >
        Delete <Text span fw={600}>{deleting?.name}</Text>? An organization with contacts or subscriptions cannot be deleted.
      </ConfirmDelete>
    </>
  );
}
