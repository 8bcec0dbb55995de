import { Alert, Badge, Button, Checkbox, Group, List, Modal, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconArrowsExchange } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { OutputOf } from '../../../../../shared/api/contract';
import { callApi, useApiQuery } from '../../../api/hooks';
import { useMoney } from '../../../lib/money';
import { formatDate } from '../../../lib/format';

type AccountPackage = OutputOf<'accountPackages.get'>;
type Preview = OutputOf<'packageMoves.preview'>;

const today = () => new Date().toISOString().slice(0, 10);
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * "Upgrade / Downgrade": choose a target among the package's upgrade paths, the bill start date and
 * whether to bill the target's one-time products; then the preview, every figure with its
 * arithmetic; confirming writes exactly that (or schedules it, for a future date).
 */
export function MoveWizard({ accountPackage, onClose }: { accountPackage: AccountPackage; onClose: () => void }) {
  const queryClient = useQueryClient();
  const { money } = useMoney();
  const paths = useApiQuery('upgradePaths.list', { packageId: accountPackage.packageId });
  const [targetId, setTargetId] = useState<string | null>(null);
  const [date, setDate] = useState(today());
  const [billOneTime, setBillOneTime] = useState<boolean | null>(null);
  const [waive, setWaive] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const path = paths.data?.find((p) => String(p.targetPackageId) === targetId) ?? null;
  const oneTime = billOneTime ?? path?.billOneTime ?? false;
  const $ = (c: number) => (money ? money.format(c) : String(c));
  const input = () => ({ accountPackageId: accountPackage.id, targetPackageId: Number(targetId), billStartDate: date, billOneTime: oneTime, waiveFeeReason: waive.trim() || null });

  const runPreview = async () => {
    setError(null);
    setBusy(true);
    try {
      setPreview(await callApi('packageMoves.preview', input()));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const confirm = async () => {
    if (!preview) return;
    setError(null);
    setBusy(true);
    try {
      const done = await callApi('packageMoves.apply', { ...input(), expectedFingerprint: preview.fingerprint });
      await queryClient.invalidateQueries();
      notifications.show({
        color: 'green',
        title: done.move.state === 'scheduled' ? 'Move scheduled' : 'Package moved',
        message: done.move.state === 'scheduled' ? `${preview.sourcePackageName} → ${preview.targetPackageName} on ${formatDate(preview.billStartDate)}` : `${preview.sourcePackageName} → ${preview.targetPackageName}${done.creditMemoNumbers.length ? `; credit memo ${done.creditMemoNumbers.join(', ')}` : ''}`,
        withBorder: true,
      });
      onClose();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} size="xl" title={<Group gap={6}><IconArrowsExchange size={18} /><Text fw={600}>Upgrade / Downgrade {accountPackage.packageName}</Text></Group>} centered>
      <Stack gap="sm" data-testid="move-wizard">
        {error && (
          <Alert color="red" icon={<IconAlertTriangle size={16} />} data-testid="move-error">
            {error}
          </Alert>
        )}
        <Group grow align="flex-end">
          <Select
            label="Target package"
            withAsterisk
            data-autofocus
            placeholder={paths.data?.length === 0 ? 'No upgrade paths on this package' : 'Choose'}
            data={(paths.data ?? []).map((p) => ({ value: String(p.targetPackageId), label: p.targetPackageName, disabled: !p.targetActive }))}
            value={targetId}
            onChange={(v) => {
              setTargetId(v);
              setBillOneTime(null);
              setPreview(null);
            }}
            data-testid="move-target"
          />
          <TextInput
            label="Bill start date"
            type="date"
            withAsterisk
            value={date}
            onChange={(e) => {
              setDate(e.currentTarget.value);
              setPreview(null);
            }}
            data-testid="move-date"
          />
        </Group>
        <Checkbox
          label="Bill one-time products"
          checked={oneTime}
          onChange={(e) => {
            setBillOneTime(e.currentTarget.checked);
            setPreview(null);
          }}
          data-testid="move-bill-one-time"
        />
        {path && (
          <Text size="sm" c="dimmed">
            Upgrade fee {$(path.feeCents)}{path.feeProductName ? ` on ${path.feeProductName}` : ''}; contract rule: {path.contractRule}.
          </Text>
        )}
        {preview && <PreviewView preview={preview} format={$} />}
        {preview && preview.contract.earlyFeeCents > 0 && (
          <TextInput label="Waive the early-cancellation fee (reason)" placeholder="Leave blank to charge it" value={waive} onChange={(e) => { setWaive(e.currentTarget.value); setPreview(null); }} data-testid="move-waive" />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          {!preview ? (
            <Button onClick={runPreview} loading={busy} disabled={!targetId || !date} data-testid="move-preview">
              Preview
            </Button>
          ) : (
            <Button onClick={confirm} loading={busy} disabled={preview.refusals.length > 0} color={preview.scheduled ? 'blue' : 'green'} data-testid="move-confirm">
              {preview.scheduled ? `Schedule for ${formatDate(preview.billStartDate)}` : 'Confirm move'}
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}

export function PreviewView({ preview: p, format: $ }: { preview: Preview; format: (c: number) => string }) {
  return (
    <Stack gap="xs" data-testid="move-preview-figures">
      {p.refusals.length > 0 && (
        <Alert color="red" title="This move cannot be made" data-testid="move-refusals">
          <List size="sm">{p.refusals.map((r) => <List.Item key={r.serviceId}>{r.reason}</List.Item>)}</List>
        </Alert>
      )}
      <Text fw={600} size="sm">Services</Text>
      <Table withTableBorder verticalSpacing={4} fz="sm">
        <Table.Tbody>
          {p.services.map((s) => (
            <Table.Tr key={s.serviceId} data-testid="move-service">
              <Table.Td>{s.description}</Table.Td>
              <Table.Td>→ {s.toProductName} ({s.toPlanName})</Table.Td>
              <Table.Td c="dimmed">{[s.login, s.ipv4Address].filter(Boolean).join(' · ') || 'keeps its identity'}</Table.Td>
            </Table.Tr>
          ))}
          {p.added.map((a) => (
            <Table.Tr key={`a${a.productId}`}>
              <Table.Td>{a.productName}</Table.Td>
              <Table.Td colSpan={2}>added ({a.ratingMethod})</Table.Td>
            </Table.Tr>
          ))}
          {p.staying.map((s) => (
            <Table.Tr key={`s${s.serviceId}`}>
              <Table.Td>{s.description}</Table.Td>
              <Table.Td colSpan={2} c="dimmed">{s.reason}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text fw={600} size="sm">Credits and charges</Text>
      <Table withTableBorder verticalSpacing={4} fz="sm">
        <Table.Tbody>
          {p.credits.map((c) => (
            <Table.Tr key={`c${c.chargeId}`} data-testid="move-credit">
              <Table.Td>{c.explanation}</Table.Td>
              <Table.Td ta="right" className="tabular" style={{ whiteSpace: "nowrap" }}>−{$(c.amountCents)}</Table.Td>
              <Table.Td ta="right" className="tabular" c="dimmed" style={{ whiteSpace: "nowrap" }}>tax −{$(c.taxCents)}</Table.Td>
            </Table.Tr>
          ))}
          {p.charges.map((c, i) => (
            <Table.Tr key={`ch${i}`} data-testid="move-charge">
              <Table.Td>{c.explanation}</Table.Td>
              <Table.Td ta="right" className="tabular" style={{ whiteSpace: "nowrap" }}>{$(c.amountCents)}</Table.Td>
              <Table.Td ta="right" className="tabular" c="dimmed" style={{ whiteSpace: "nowrap" }}>tax {$(c.taxCents)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm" data-testid="move-contract">
        <Text span fw={600}>Contract: </Text>
        {p.contract.explanation}
        {p.contract.earlyFeeCents > 0 && <> Early-cancellation fee {$(p.contract.earlyFeeCents)}{p.contract.waived ? ' (waived)' : ''}.</>}
      </Text>
      {p.notes.length > 0 && <List size="sm" c="dimmed">{p.notes.map((n) => <List.Item key={n}>{n}</List.Item>)}</List>}
      <Group justify="flex-end" gap="md">
        <Text size="sm">Credits {$(p.creditsCents)}</Text>
        <Text size="sm">Charges {$(p.chargesCents)}</Text>
        <Badge size="lg" color={p.netCents > 0 ? 'orange' : 'teal'} variant="light" data-testid="move-net">
          Net {p.netCents < 0 ? '−' : ''}{$(Math.abs(p.netCents))}
        </Badge>
      </Group>
    </Stack>
  );
}
