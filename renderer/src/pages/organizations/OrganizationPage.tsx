import { Anchor, Breadcrumbs, Button, Group, Loader, Paper, Text } from '@mantine/core';
import { IconEdit, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { OutputOf } from '../../../../shared/api/contract';
import { useApiQuery } from '../../api/hooks';
import { LoadError } from '../../components/LoadError';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable } from '../../components/RecordTable';
import { SearchField } from '../../components/SearchField';
import { StatusBadge } from '../../components/StatusBadge';
import { usePagedList } from '../../lib/use-paged-list';
import { OrganizationFormModal } from './OrganizationFormModal';

type Row = OutputOf<'subscriptions.list'>['rows'][number];

/** One organization and its subscriptions: RV park and marina operators think by site. */
export function OrganizationPage() {
  const id = Number(useParams().id);
  const navigate = useNavigate();
  const org = useApiQuery('organizations.get', { id }, { enabled: Number.isInteger(id) && id > 0 });
  const [editing, setEditing] = useState(false);
  const { text, setText, query, list, paging } = usePagedList('subscriptions.list', { organizationId: id, sortBy: 'name', sortDirection: 'asc' });

  if (org.error) return <LoadError what="the organization" error={org.error} onRetry={() => void org.refetch()} />;
  if (!org.data) return <Loader m="xl" />;
  const o = org.data;
  const where = [o.street, o.city, o.region, o.postalCode, o.country].filter(Boolean).join(', ');

  return (
    <>
      <PageHeader
        above={
          <Breadcrumbs>
            <Anchor component={Link} to="/organizations" size="sm">
              Organizations
            </Anchor>
            <Text size="sm">{o.name}</Text>
          </Breadcrumbs>
        }
        title={o.name}
        description={[o.kind, where, o.phone, o.email].filter(Boolean).join(' · ')}
        actions={
          <Group gap="xs">
            <Button variant="default" leftSection={<IconEdit size={16} />} onClick={() => setEditing(true)}>
              Edit
            </Button>
            <Button leftSection={<IconPlus size={16} />} component={Link} to="/subscriptions/new">
              New subscription
            </Button>
          </Group>
        }
      />
      <Paper withBorder radius="md" p="sm" mb="sm">
        <Group justify="space-between" align="flex-end">
          <SearchField label={`Search the subscriptions of ${o.name}`} placeholder="Search these subscriptions" value={text} onSearch={setText} />
          <Text size="sm" c="dimmed" data-testid="organization-subscription-count">
            {o.subscriptionCount.toLocaleString()} {o.subscriptionCount === 1 ? 'subscription' : 'subscriptions'} · {o.contactCount.toLocaleString()}{' '}
            {o.contactCount === 1 ? 'contact' : 'contacts'}
          </Text>
        </Group>
      </Paper>
      <PagedTable<Row>
        what="subscriptions"
        list={list}
        paging={paging}
        noRecordsText={query ? 'No subscription of this organization matches.' : 'No subscriptions of this organization yet.'}
        onRowClick={(r) => navigate(`/subscriptions/${r.id}`)}
        rowAttributes={(r) => ({ 'data-testid': 'organization-subscription-row', 'data-unique-id': r.uniqueId })}
        columns={[
          { accessor: 'uniqueId', title: 'Unique ID', width: 120, cellsClassName: 'tabular' },
          { accessor: 'name', title: 'Name', ellipsis: true },
          { accessor: 'status', title: 'Status', width: 120, render: (r) => <StatusBadge status={r.status} /> },
          { accessor: 'contactName', title: 'Contact', ellipsis: true },
          { accessor: 'engineerName', title: 'Engineer', ellipsis: true },
        ]}
      />
      {editing && <OrganizationFormModal organization={o} onClose={() => setEditing(false)} />}
    </>
  );
}
