import { Anchor, Badge, Button, CloseButton, Group, Paper, Stack, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconPlus, IconPrinter, IconSettings, IconTicket } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import type { OutputOf } from '../../../../../shared/api/contract';
import { type VoucherStateName, formatBytes, formatSecondsLeft } from '../../../../../shared/domain/hotspot';
import { callApi, useApiQuery } from '../../../api/hooks';
import { usePagedList } from '../../../lib/use-paged-list';
import { ConfirmDelete } from '../../../components/ConfirmDelete';
import { PagedTable, openOnEnter } from '../../../components/RecordTable';
import { RowActions } from '../../../components/RowActions';
import { formatDateTime } from '../../../lib/format';
import { GenerateVouchersModal, HotspotUserFormModal, hotspotLimits } from '../../services/HotspotModals';
import { HotspotCardSettingsModal, VoidBatchModal, downloadLoginPage } from '../../services/VoucherBatchModals';
import { SearchField } from '../../../components/SearchField';

type Subscription = OutputOf<'subscriptions.get'>;
type HotspotUser = OutputOf<'hotspotUsers.get'>;

const STATUS_COLORS: Record<VoucherStateName, string> = { Active: 'green', Disabled: 'orange', Expired: 'gray', Voided: 'red' };
type Batch = OutputOf<'vouchers.listBatches'>[number];

/** "42 min · 1.5 GB left", as the one status rule counts it; why not, once it cannot log in. */
function leftText(u: HotspotUser): string {
  if (u.state.status !== 'Active' && u.state.reason) return u.state.reason;
  const parts: string[] = [];
  if (u.state.timeLeftSeconds !== null) parts.push(formatSecondsLeft(u.state.timeLeftSeconds));
  if (u.state.dataLeftBytes !== null) parts.push(formatBytes(u.state.dataLeftBytes));
  return parts.length ? `${parts.join(' · ')} left` : 'No time or data limit';
}

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
  const [batchId, setBatchId] = useState<string | null>(null);
  const [voiding, setVoiding] = useState<Batch | null>(null);
  const [deletingBatch, setDeletingBatch] = useState<Batch | null>(null);
  const [cardSettings, setCardSettings] = useState(false);
  const { list, paging, text, setText } = usePagedList('hotspotUsers.list', { subscriptionId: subscription.id, ...(batchId ? { batchId } : {}) }, 25);
  const batches = useApiQuery('vouchers.listBatches', { subscriptionId: subscription.id });

  return (
    <Stack gap="sm" data-testid="hotspot-panel">
      <Group justify="space-between" gap="xs">
        <Group gap="xs">
          <SearchField label="Search codes and logins" placeholder={batchId ? `Search in ${batchId}` : 'Search codes and logins'} value={text} onSearch={setText} w={240} data-testid="hotspot-search" />
          {batchId && (
            <Badge size="lg" variant="light" radius="sm" data-testid="batch-filter" rightSection={<CloseButton size="xs" aria-label="Show every hotspot user" onClick={() => setBatchId(null)} />}>
              Batch {batchId}
            </Badge>
          )}
        </Group>
        <Group gap="xs">
        <Button variant="default" leftSection={<IconSettings size={16} />} onClick={() => setCardSettings(true)}>
          Card settings
        </Button>
        <Button
          variant="default"
          leftSection={<IconDownload size={16} />}
          onClick={() => downloadLoginPage().catch((e: unknown) => notifications.show({ color: 'red', title: 'Login page not downloaded', message: e instanceof Error ? e.message : 'Try again.', withBorder: true }))}
          data-testid="download-login-page"
        >
          Login page
        </Button>
        <Button variant="light" leftSection={<IconTicket size={16} />} onClick={() => setGenerating(true)}>
          Generate vouchers
        </Button>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
          Add hotspot user
        </Button>
        </Group>
      </Group>
      {(batches.data?.length ?? 0) > 0 && (
        <Paper withBorder radius="md" p="sm" data-testid="voucher-batches">
          <Text fw={600} size="sm" mb={4}>
            Voucher batches
          </Text>
          <Stack gap={4}>
            {batches.data!.map((b) => (
              <Group key={b.batchId} gap="sm" data-testid="voucher-batch" data-batch={b.batchId}>
                <Text size="sm" className="tabular" w={150}>
                  {formatDateTime(b.createdAt)}
                </Text>
                <Text size="sm" w={220} truncate>
                  {b.count} × {b.hotspotPlanName}
                </Text>
                <Anchor component="button" type="button" size="sm" onClick={() => setBatchId(b.batchId)} data-testid="show-batch">
                  Show {b.batchId}
                </Anchor>
                <Anchor component={Link} to={voucherSheetPath(b.batchId)} size="sm">
                  <Group gap={4} wrap="nowrap">
                    <IconPrinter size={14} /> Print sheet
                  </Group>
                </Anchor>
                <Anchor component="button" type="button" size="sm" c="orange" onClick={() => setVoiding(b)} data-testid="void-batch">
                  Void
                </Anchor>
                <Anchor component="button" type="button" size="sm" c="red" onClick={() => setDeletingBatch(b)} data-testid="delete-batch">
                  Delete
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
          { accessor: 'firstUsedAt', title: 'First used', render: (u) => (u.firstUsedAt ? <span className="tabular">{formatDateTime(u.firstUsedAt)}</span> : <Text span size="sm" c="dimmed">Not yet</Text>) },
          {
            accessor: 'expiresAt',
            title: 'Expires',
            render: (u) => (u.state.expiresAt ? <span className="tabular">{formatDateTime(u.state.expiresAt)}</span> : <Text span size="sm" c="dimmed">{u.validityDays} {u.validityDays === 1 ? 'day' : 'days'} from first use</Text>),
          },
          { accessor: 'left', title: 'Left', render: (u) => <Text size="sm" c={u.state.status === 'Active' ? undefined : 'dimmed'} data-testid="hotspot-left">{leftText(u)}</Text> },
          {
            accessor: 'status',
            title: 'Status',
            width: 100,
            render: (u) => (
              <Tooltip label={u.state.reason ?? 'Can log in'} withArrow>
                <Badge color={STATUS_COLORS[u.state.status]} variant="light" radius="sm" data-testid="hotspot-status">
                  {u.state.status}
                </Badge>
              </Tooltip>
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
          notifications.show({ color: 'green', title: deleting.kind === 'voucher' ? 'Voucher deleted' : 'Hotspot user deleted', message: deleting.login, withBorder: true });
        }}
      >
        Delete <Text span fw={600}>{deleting?.login}</Text>? It stops working at the hotspot.
      </ConfirmDelete>
      <ConfirmDelete
        opened={deletingBatch !== null}
        title={`Delete batch ${deletingBatch?.batchId ?? ''}`}
        onClose={() => setDeletingBatch(null)}
        onConfirm={async () => {
          if (!deletingBatch) return;
          const result = await callApi('vouchers.deleteBatch', { batchId: deletingBatch.batchId });
          if (batchId === deletingBatch.batchId) setBatchId(null);
          await queryClient.invalidateQueries();
          notifications.show({ color: 'green', title: 'Voucher batch deleted', message: `${result.deleted} vouchers of ${deletingBatch.batchId}`, withBorder: true });
        }}
      >
        Delete all {deletingBatch?.count} vouchers of <Text span fw={600}>{deletingBatch?.batchId}</Text>? Only a batch none of whose vouchers was used can be deleted; a used one can be voided.
      </ConfirmDelete>
      {voiding && <VoidBatchModal batch={voiding} onClose={() => setVoiding(null)} />}
      {cardSettings && <HotspotCardSettingsModal onClose={() => setCardSettings(false)} />}
    </Stack>
  );
}
