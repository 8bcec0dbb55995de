import { Button, Paper, Text, TextInput } from '@mantine/core';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import type { OutputOf } from '../../../../shared/api/contract';
import { callApi, useApiQuery } from '../../api/hooks';
import { ConfirmDelete } from '../../components/ConfirmDelete';
import { LoadError } from '../../components/LoadError';
import { PageHeader } from '../../components/PageHeader';
import { RowActions } from '../../components/RowActions';
import { useSettled } from '../../lib/use-debounced';
import { ContactFormModal } from './ContactFormModal';
import { useQueryClient } from '@tanstack/react-query';

type Contact = OutputOf<'contacts.get'>;

const PAGE_SIZES = [25, 50, 100];

export function ContactsPage() {
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const query = useSettled(text.trim(), 250);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [editing, setEditing] = useState<Contact | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Contact | null>(null);
  const list = useApiQuery('contacts.list', { query: query || undefined, page, pageSize }, { keepPrevious: true });

  return (
    <>
      <PageHeader
        title="Contacts"
        description="The people behind subscriptions."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
            New contact
          </Button>
        }
      />
      <Paper withBorder radius="md" p="sm" mb="sm">
        <TextInput
          placeholder="Search name, phone or email"
          aria-label="Search contacts"
          leftSection={<IconSearch size={16} />}
          value={text}
          onChange={(e) => {
            setText(e.currentTarget.value);
            setPage(1);
          }}
        />
      </Paper>
      {list.error && !list.data ? (
        <LoadError what="contacts" error={list.error} onRetry={() => list.refetch()} />
      ) : (
        <DataTable<Contact>
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
          noRecordsText={query ? 'No contact matches.' : 'No contacts yet.'}
          onRowClick={({ record }) => setEditing(record)}
          customRowAttributes={(record) => ({ 'data-testid': 'contact-row', 'data-contact-id': record.id })}
          columns={[
            { accessor: 'displayName', title: 'Name', ellipsis: true },
            { accessor: 'organizationName', title: 'Organization', ellipsis: true, render: (c) => c.organizationName ?? '' },
            { accessor: 'phones', title: 'Phone', render: (c) => c.phones[0] ?? '' },
            { accessor: 'emails', title: 'Email', ellipsis: true, render: (c) => c.emails[0] ?? '' },
            { accessor: 'city', title: 'City', render: (c) => c.city ?? '' },
            { accessor: 'subscriptionCount', title: 'Subscriptions', textAlign: 'right', width: 140, cellsClassName: 'tabular' },
            {
              accessor: 'actions',
              title: '',
              width: 90,
              render: (c) => <RowActions name={c.displayName} onEdit={() => setEditing(c)} onDelete={() => setDeleting(c)} />,
            },
          ]}
        />
      )}
      {editing && <ContactFormModal contact={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
      <ConfirmDelete
        opened={deleting !== null}
        title="Delete contact"
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await callApi('contacts.delete', { id: deleting.id });
          await queryClient.invalidateQueries();
        }}
      >
        Delete <Text span fw={600}>{deleting?.displayName}</Text>? A contact on a subscription cannot be deleted.
      </ConfirmDelete>
    </>
  );
}
