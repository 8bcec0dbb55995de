import { Anchor, Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { IconPlus, IconPrinter, IconTicket } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import type { OutputOf } from '../../../../../shared/api/contract';
import type { HOTSPOT_USER_STATUSES } from '../../../../../shared/api/services';
import { callApi, useApiQuery } from '../../../api/hooks';
import { usePagedList } from '../../../lib/use-paged-list';
import { ConfirmDelete } from '../../../components/ConfirmDelete';
import { PagedTable, openOnEnter } from '../../../components/RecordTable';
import { RowActions } from '../../../components/RowActions';
import { formatDateTime } from '../../../lib/format';
import { GenerateVouchersModal, HotspotUserFormModal, hotspotLimits } from '../../services/HotspotModals';

type Subscription = OutputOf<'subscriptions.get'>;
type HotspotUser = OutputOf<'hotspotUsers.get'>;

const STATUS_COLORS: Record<(typeof HOTSPOT_USER_STATUSES)[number], string> = { Active: 'green', Disabled: 'orange', Expired: 'gray' };

export function voucherSheetPath(batchId: string): string {
  return `/vouchers/${encodeURIComponent(batchId)}/print`;
}

/** Hotspot users and vouchers under the subscription (RV parks, campgrounds, marinas), and voucher batches to print. */
export function HotspotTab({ subscription }: { subscription: Subscription }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [editing, setEditing] = useState<HotspotUser | 'new' | null>(null);
  const [generating, setGenerating] = useState(false);
  const [deleting, setDeleting] = useState<HotspotUser | null>(null);
  const { list, paging } = usePagedList('hotspotUsers.list', { subscriptionId: subscription.id }, 25);
  const batches = useApiQuery('vouchers.listBatches', { subscriptionId: subscription.id });

  return (
    <Stack gap="sm" data-testid="hotspot-panel">
      <Group justify="flex-end" gap="xs">
        <Button variant="light" leftSection={<IconTicket size={16} />} onClick={() => setGenerating(true)}>
          Generate vouchers
        </Button>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
          Add hotspot user
        </Button>
      </Group>
      {(batches.data?.length ?? 0) > 0 && (
        <Paper withBorder radius="md" p="sm" data-testid="voucher-batches">
          <Text fw={600} size="sm" mb={4}>
            Voucher batches
          </Text>
          <Stack gap={4}>
            {batches.data!.map((b) => (
              <Group key={b.batchId} gap="sm" data-testid="voucher-batch">
                <Text size="sm" className="tabular">
                  {formatDateTime(b.createdAt)}
                </Text>
                <Text size="sm">
                  {b.count} × {b.hotspotPlanName}
                </Text>
                <Anchor component={Link} to={voucherSheetPath(b.batchId)} size="sm">
                  <Group gap={4} wrap="nowrap">
                    <IconPrinter size={14} /> Print sheet
                  </Group>
                </Anchor>
              </Group>
            ))}
          </Stack>
        </Paper>
      )}
      <PagedTable<HotspotUser>
        what="hotspot users"
        list={list}
        paging={paging}
        noRecordsText="No hotspot users or vouchers on this subscription yet."
        onRowClick={(record) => setEditing(record)}
        rowAttributes={(record) => ({ 'data-testid': 'hotspot-row', ...openOnEnter(() => setEditing(record)) })}
        columns={[
          {
            accessor: 'login',
            title: 'Login / code',
            render: (u) => (
              <Group gap={6} wrap="nowrap">
                <Text size="sm" ff={u.kind === 'voucher' ? 'monospace' : undefined}>
                  {u.login}
                </Text>
                {u.kind === 'voucher' && (
                  <Badge size="xs" variant="outline" color="gray">
                    voucher
                  </Badge>
                )}
              </Group>
            ),
          },
          {
            accessor: 'hotspotPlanName',
            title: 'Plan and limits',
            render: (u) => (
              <Stack gap={0}>
                <Text size="sm">{u.hotspotPlanName}</Text>
                <Text size="xs" c="dimmed">
                  {hotspotLimits(u)}
                </Text>
              </Stack>
            ),
          },
          { accessor: 'macBinding', title: 'MAC binding', render: (u) => <span className="tabular">{u.macBinding ?? ''}</span> },
          { accessor: 'firstUsedAt', title: 'First used', render: (u) => (u.firstUsedAt ? formatDateTime(u.firstUsedAt) : <Text span size="sm" c="dimmed">Not yet</Text>) },
          {
            accessor: 'status',
            title: 'Status',
            width: 100,
            render: (u) => (
              <Badge color={STATUS_COLORS[u.status]} variant="light" radius="sm">
                {u.status}
              </Badge>
            ),
          },
          { accessor: 'actions', title: '', width: 90, render: (u) => <RowActions name={u.login} onEdit={() => setEditing(u)} onDelete={() => setDeleting(u)} /> },
        ]}
      />
      {editing && <HotspotUserFormModal subscriptionId={subscription.id} user={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
      {generating && (
        <GenerateVouchersModal
          subscriptionId={subscription.id}
          onClose={() => setGenerating(false)}
          onGenerated={(batch) => {
            setGenerating(false);
            navigate(voucherSheetPath(batch.batchId));
          }}
        />
      )}
      <ConfirmDelete
        opened={deleting !== null}
        title={deleting?.kind === 'voucher' ? 'Delete voucher' : 'Delete hotspot user'}
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await callApi('hotspotUsers.delete', { id: deleting.id });
          await queryClient.invalidateQueries();
        }}
      >
        Delete <Text span fw={600}>{deleting?.login}</Text>? It stops working at the hotspot.
      </ConfirmDelete>
    </Stack>
  );
}
