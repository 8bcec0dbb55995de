import { Anchor, Badge, Breadcrumbs, Button, Group, Loader, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ExportMenu } from '../io/ExportMenu';
import type { OutputOf } from '../../../../shared/api/contract';
import { useApiQuery } from '../../api/hooks';
import { LoadError } from '../../components/LoadError';
import { PageHeader } from '../../components/PageHeader';
import { rowKeys } from '../../lib/row-keys';
import { IpNetworkFormModal } from './IpNetworkFormModal';
import { UtilizationBar } from './IpNetworksPage';

type Allocation = OutputOf<'ipNetworks.allocations'>['rows'][number];

const PAGE_SIZES = [50, 100, 250];

/** One network: its utilization and, address by address, the service holding it. */
export function IpNetworkPage() {
  const params = useParams<{ id: string }>();
  const navigate = useNavigate();
  const id = Number(params.id);
  const valid = Number.isInteger(id) && id > 0;
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [editing, setEditing] = useState(false);
  const network = useApiQuery('ipNetworks.get', { id }, { enabled: valid });
  const allocations = useApiQuery('ipNetworks.allocations', { id, page, pageSize }, { enabled: valid, keepPrevious: true });

  if (!valid) return <LoadError what="the network" error={new Error(`"${params.id}" is not a network id.`)} />;
  if (network.isLoading) return <Loader m="xl" />;
  if (!network.data) return <LoadError what="the network" error={network.error} onRetry={() => network.refetch()} />;
  const n = network.data;

  return (
    <Stack gap="md">
      <PageHeader
        above={
          <Breadcrumbs separator="›" fz="sm">
            <Anchor component={Link} to="/network/ip-networks">
              IP networks
            </Anchor>
            <span className="tabular">{n.cidr}</span>
          </Breadcrumbs>
        }
        title={
          <Group gap="sm">
            <span className="tabular">{n.cidr}</span>
            <Badge variant="light" radius="sm" color={n.kind === 'permanent' ? 'indigo' : 'cyan'}>
              {n.kind}
            </Badge>
          </Group>
        }
        description={n.description ?? undefined}
        actions={
          <Group gap="sm">
            <ExportMenu list="ipAllocations" filter={{ networkId: n.id }} />
            <Button variant="light" leftSection={<IconPencil size={16} />} onClick={() => setEditing(true)}>
              Edit
            </Button>
          </Group>
        }
      />
      <Paper withBorder p="md" radius="md">
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="lg">
          <Fact label="Router">{n.routerName ?? 'None'}</Fact>
          <Fact label="Gateway">{n.gateway ?? 'None'}</Fact>
          <Fact label="Addresses">
            {n.utilization.size} in all · {n.utilization.usable} usable
          </Fact>
          <Fact label="Utilization">
            <UtilizationBar u={n.utilization} />
          </Fact>
        </SimpleGrid>
        {n.excluded.length > 0 && (
          <Text size="sm" mt="sm" c="dimmed">
            Excluded: {n.excluded.map((r) => `${r.first}–${r.last}${r.reason ? ` (${r.reason})` : ''}`).join(', ')}
          </Text>
        )}
      </Paper>
      {allocations.error && !allocations.data ? (
        <LoadError what="the addresses" error={allocations.error} onRetry={() => allocations.refetch()} />
      ) : (
        <DataTable<Allocation>
          withTableBorder
          borderRadius="md"
          striped
          minHeight={160}
          verticalSpacing="xs"
          fetching={allocations.isFetching}
          records={allocations.data?.rows ?? []}
          totalRecords={allocations.data?.total ?? 0}
          page={page}
          onPageChange={setPage}
          recordsPerPage={pageSize}
          recordsPerPageOptions={PAGE_SIZES}
          onRecordsPerPageChange={(size) => {
            setPageSize(size);
            setPage(1);
          }}
          recordsPerPageLabel="Rows per page"
          noRecordsText={n.kind === 'pool' ? 'Pool addresses are handed out by the router; none is held here.' : 'No service holds an address of this network yet.'}
          customRowAttributes={(a) => ({ 'data-testid': 'allocation-row', ...rowKeys(() => navigate(`/subscriptions/${a.subscriptionId}/services`)) })}
          columns={[
            { accessor: 'address', title: 'Address', render: (a) => <Text size="sm" fw={500} className="tabular">{a.address}</Text> },
            { accessor: 'kind', title: 'Held as', render: (a) => (a.kind === 'address' ? 'Permanent address' : 'Routed network') },
            { accessor: 'serviceDescription', title: 'Service' },
            { accessor: 'login', title: 'Login', render: (a) => a.login ?? '' },
            {
              accessor: 'subscriptionName',
              title: 'Subscription',
              render: (a) => (
                <Anchor component={Link} to={`/subscriptions/${a.subscriptionId}/services`} size="sm">
                  <span className="tabular">{a.subscriptionUniqueId}</span> · {a.subscriptionName}
                </Anchor>
              ),
            },
          ]}
        />
      )}
      {editing && <IpNetworkFormModal network={n} onClose={() => setEditing(false)} />}
    </Stack>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.4}>
        {label}
      </Text>
      <Text size="sm" fw={500} component="div">
        {children}
      </Text>
    </Stack>
  );
}
