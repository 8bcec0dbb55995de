import { Badge, Button } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import type { OutputOf } from '../../../../shared/api/contract';
import { useApiQuery } from '../../api/hooks';
import { ConfirmDeleteRecord } from '../../components/ConfirmDeleteRecord';
import { PageHeader } from '../../components/PageHeader';
import { RecordTable } from '../../components/RecordTable';
import { RowActions } from '../../components/RowActions';
import { StaffFormModal } from './StaffFormModal';

type StaffMember = OutputOf<'staff.get'>;

/** The ISP's own people. The list is short and comes whole (the API does not page it). */
export function StaffPage() {
  const [editing, setEditing] = useState<StaffMember | 'new' | null>(null);
  const [deleting, setDeleting] = useState<StaffMember | null>(null);
  const list = useApiQuery('staff.list', { includeInactive: true });

  return (
    <>
      <PageHeader
        title="Staff"
        description="Engineers and office staff; every subscription has a responsible engineer."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
            New staff member
          </Button>
        }
      />
      <RecordTable<StaffMember>
        what="staff"
        list={list}
        noRecordsText="No staff yet. Add the engineers who look after subscriptions."
        onRowClick={(record) => setEditing(record)}
        rowAttributes={(record) => ({ 'data-testid': 'staff-row', 'data-staff-id': record.id })}
        columns={[
          { accessor: 'name', title: 'Name', ellipsis: true },
          { accessor: 'role', title: 'Role', width: 130 },
          { accessor: 'email', title: 'Email', ellipsis: true, render: (s) => s.email ?? '' },
          { accessor: 'phone', title: 'Phone', render: (s) => s.phone ?? '' },
          {
            accessor: 'active',
            title: 'Active',
            width: 100,
            render: (s) => (
              <Badge variant="light" color={s.active ? 'green' : 'gray'} radius="sm">
                {s.active ? 'Active' : 'Inactive'}
              </Badge>
            ),
          },
          { accessor: 'subscriptionCount', title: 'Subscriptions', textAlign: 'right', width: 140, cellsClassName: 'tabular' },
          { accessor: 'actions', title: '', width: 90, render: (s) => <RowActions name={s.name} onEdit={() => setEditing(s)} onDelete={() => setDeleting(s)} /> },
        ]}
      />
      {editing && <StaffFormModal member={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
      <ConfirmDeleteRecord procedure="staff.delete" record={deleting} name={(r) => r.name} title="Delete staff member" onClose={() => setDeleting(null)}>
        Someone still responsible for subscriptions cannot be deleted; mark them inactive instead.
      </ConfirmDeleteRecord>
    </>
  );
}
