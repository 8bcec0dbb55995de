import { Button, Paper } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import type { OutputOf } from '../../../../shared/api/contract';
import { ConfirmDeleteRecord } from '../../components/ConfirmDeleteRecord';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable } from '../../components/RecordTable';
import { RowActions } from '../../components/RowActions';
import { SearchField } from '../../components/SearchField';
import { usePagedList } from '../../lib/use-paged-list';
import { ContactFormModal } from './ContactFormModal';

type Contact = OutputOf<'contacts.get'>;

export function ContactsPage() {
  const [editing, setEditing] = useState<Contact | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Contact | null>(null);
  const { text, setText, query, list, paging } = usePagedList('contacts.list', {});

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
        <SearchField label="Search contacts" placeholder="Search name, phone or email" value={text} onSearch={setText} />
      </Paper>
      <PagedTable<Contact>
        what="contacts"
        list={list}
        paging={paging}
        noRecordsText={query ? 'No contact matches.' : 'No contacts yet.'}
        onRowClick={(record) => setEditing(record)}
        rowAttributes={(record) => ({ 'data-testid': 'contact-row', 'data-contact-id': record.id })}
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
      {editing && <ContactFormModal contact={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
      <ConfirmDeleteRecord procedure="contacts.delete" record={deleting} name={(r) => r.displayName} title="Delete contact" onClose={() => setDeleting(null)}>
        A contact on a subscription cannot be deleted.
      </ConfirmDeleteRecord>
    </>
  );
}
