import { Button, Paper } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { OutputOf } from '../../../../shared/api/contract';
import { ConfirmDeleteRecord } from '../../components/ConfirmDeleteRecord';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable } from '../../components/RecordTable';
import { RowActions } from '../../components/RowActions';
import { SearchField } from '../../components/SearchField';
import { usePagedList } from '../../lib/use-paged-list';
import { OrganizationFormModal } from './OrganizationFormModal';

type Organization = OutputOf<'organizations.get'>;

export function OrganizationsPage() {
  const navigate = useNavigate();
  const [editing, setEditing] = useState<Organization | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Organization | null>(null);
  const { text, setText, query, list, paging } = usePagedList('organizations.list', {});

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
        <SearchField label="Search organizations" placeholder="Search organizations" value={text} onSearch={setText} />
      </Paper>
      <PagedTable<Organization>
        what="organizations"
        list={list}
        paging={paging}
        noRecordsText={query ? 'No organization matches.' : 'No organizations yet.'}
        onRowClick={(record) => navigate(`/organizations/${record.id}`)}
        rowAttributes={(record) => ({ 'data-testid': 'organization-row', 'data-organization-id': record.id })}
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
      {editing && <OrganizationFormModal organization={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
      <ConfirmDeleteRecord procedure="organizations.delete" record={deleting} name={(r) => r.name} title="Delete organization" onClose={() => setDeleting(null)}>
        An organization with contacts or subscriptions cannot be deleted.
      </ConfirmDeleteRecord>
    </>
  );
}
