import { Badge, Button, Paper, Progress, Select, Stack, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { OutputOf } from '../../../../shared/api/contract';
import { NETWORK_KINDS } from '../../../../shared/api/network';
import { ConfirmDeleteRecord } from '../../components/ConfirmDeleteRecord';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable, openOnEnter } from '../../components/RecordTable';
import { RowActions } from '../../components/RowActions';
import { usePagedList } from '../../lib/use-paged-list';
import { IpNetworkFormModal } from './IpNetworkFormModal';

type IpNetwork = OutputOf<'ipNetworks.get'>;
type Kind = (typeof NETWORK_KINDS)[number];

export function UtilizationBar({ u }: { u: IpNetwork['utilization'] }) {
  const percent = u.usable === 0 ? 0 : (u.used / u.usable) * 100;
  return (
    <Stack gap={2} miw={140}>
      <Progress value={percent} color={percent >= 90 ? 'red' : percent >= 70 ? 'orange' : 'teal'} size="sm" aria-label={`${u.used} of ${u.usable} used`} />
      <Text size="xs" c="dimmed" className="tabular" data-testid="network-utilization">
        {u.used} of {u.usable} used · {u.free} free
      </Text>
    </Stack>
  );
}

/** IPv4 networks in address order, with how full each is; a row opens its addresses. */
export function IpNetworksPage() {
  const navigate = useNavigate();
  const [kind, setKind] = useState<Kind | null>(null);
  const [editing, setEditing] = useState<IpNetwork | 'new' | null>(null);
  const [deleting, setDeleting] = useState<IpNetwork | null>(null);
  const { list, paging } = usePagedList('ipNetworks.list', { kind: kind ?? undefined });
  const open = (n: IpNetwork) => navigate(`/network/ip-networks/${n.id}`);

  return (
    <>
      <PageHeader
        title="IP networks"
        description="Permanent networks give fixed addresses to services; pools hand them out dynamically."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
            New network
          </Button>
        }
      />
      <Paper withBorder radius="md" p="sm" mb="sm">
        <Select<Kind>
          aria-label="Kind"
          placeholder="Permanent and pools"
          data={[
            { value: 'permanent', label: 'Permanent' },
            { value: 'pool', label: 'Pools' },
          ]}
          value={kind}
          onChange={setKind}
          clearable
          w={220}
        />
      </Paper>
      <PagedTable<IpNetwork>
        what="networks"
        list={list}
        paging={paging}
        noRecordsText={kind ? `No ${kind} networks.` : 'No networks yet.'}
        onRowClick={(record) => open(record)}
        rowAttributes={(record) => ({ 'data-testid': 'ip-network-row', ...openOnEnter(() => open(record)) })}
        columns={[
          { accessor: 'cidr', title: 'Network', render: (n) => <Text size="sm" fw={500} className="tabular">{n.cidr}</Text> },
          {
            accessor: 'kind',
            title: 'Kind',
            width: 110,
            render: (n) => (
              <Badge variant="light" radius="sm" color={n.kind === 'permanent' ? 'indigo' : 'cyan'}>
                {n.kind}
              </Badge>
            ),
          },
          { accessor: 'routerName', title: 'Router', render: (n) => n.routerName ?? '' },
          { accessor: 'gateway', title: 'Gateway', render: (n) => <span className="tabular">{n.gateway ?? ''}</span> },
          { accessor: 'utilization', title: 'Utilization', render: (n) => <UtilizationBar u={n.utilization} /> },
          { accessor: 'description', title: 'Description', ellipsis: true, render: (n) => n.description ?? '' },
          { accessor: 'actions', title: '', width: 90, render: (n) => <RowActions name={n.cidr} onEdit={() => setEditing(n)} onDelete={() => setDeleting(n)} /> },
        ]}
      />
      {editing && <IpNetworkFormModal network={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
      <ConfirmDeleteRecord procedure="ipNetworks.delete" record={deleting} name={(r) => r.cidr} title="Delete network" onClose={() => setDeleting(null)}>
        A network whose addresses services hold cannot be deleted.
      </ConfirmDeleteRecord>
    </>
  );
}
