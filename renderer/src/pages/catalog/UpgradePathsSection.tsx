import { Badge, Button, Group, Modal, Paper, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconArrowsExchange, IconPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import type { OutputOf } from '../../../../shared/api/contract';
import { CONTRACT_RULES, movesApi } from '../../../../shared/api/moves';
import { callApi, useApiQuery } from '../../api/hooks';
import { ConfirmDelete } from '../../components/ConfirmDelete';
import { FormAlert } from '../../components/FormAlert';
import { FormModalFooter } from '../../components/FormModalFooter';
import { RowActions } from '../../components/RowActions';
import type { Money } from '../../lib/money';
import { useFormSubmit } from '../../lib/use-form-submit';

type UpgradePath = OutputOf<'upgradePaths.list'>[number];
type ContractRule = (typeof CONTRACT_RULES)[number];

export const CONTRACT_RULE_LABELS: Record<ContractRule, string> = {
  'destination-then-source': 'Use destination, then source',
  destination: 'Always destination',
  source: 'Always source',
};

/** The packages this one may move to (upgrades and downgrades), on the package screen. */
export function UpgradePathsSection({ packageId, money }: { packageId: number; money: Money }) {
  const queryClient = useQueryClient();
  const paths = useApiQuery('upgradePaths.list', { packageId });
  const [open, setOpen] = useState<UpgradePath | 'new' | null>(null);
  const [removing, setRemoving] = useState<UpgradePath | null>(null);
  const rows = paths.data ?? [];
  return (
    <Paper withBorder radius="md" p="md" data-testid="upgrade-paths">
      <Group justify="space-between" mb="xs">
        <Group gap="xs">
          <IconArrowsExchange size={16} />
          <Text fw={600}>Upgrade paths</Text>
          <Badge variant="light" color="gray" size="sm">
            {rows.length}
          </Badge>
        </Group>
        <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => setOpen('new')}>
          Add upgrade path
        </Button>
      </Group>
      <DataTable<UpgradePath>
        withTableBorder={false}
        verticalSpacing="xs"
        fetching={paths.isLoading}
        records={rows}
        noRecordsText="No upgrade paths: subscribers on this package cannot be moved."
        minHeight={rows.length ? undefined : 120}
        customRowAttributes={() => ({ 'data-testid': 'upgrade-path-row' })}
        columns={[
          { accessor: 'targetPackageName', title: 'Target package', render: (p) => <Text size="sm" fw={500}>{p.targetPackageName}{p.targetActive ? '' : ' (no longer sold)'}</Text> },
          { accessor: 'feeCents', title: 'Upgrade fee', textAlign: 'right', cellsClassName: 'tabular', render: (p) => money.format(p.feeCents) },
          { accessor: 'feeProductName', title: 'Posted on', render: (p) => p.feeProductName ?? '' },
          { accessor: 'contractRule', title: 'Contract', render: (p) => CONTRACT_RULE_LABELS[p.contractRule] },
          { accessor: 'billOneTime', title: 'Bill one-time', render: (p) => (p.billOneTime ? 'Yes' : 'No') },
          { accessor: 'actions', title: '', width: 90, render: (p) => <RowActions name={p.targetPackageName} onEdit={() => setOpen(p)} onDelete={() => setRemoving(p)} /> },
        ]}
      />
      {open && <UpgradePathModal packageId={packageId} path={open === 'new' ? undefined : open} money={money} onClose={() => setOpen(null)} />}
      <ConfirmDelete
        opened={removing !== null}
        title="Remove upgrade path"
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          await callApi('upgradePaths.delete', { id: removing.id });
          await queryClient.invalidateQueries();
        }}
      >
        Remove the path to <Text span fw={600}>{removing?.targetPackageName}</Text>? Moves already made stay in each subscription's history.
      </ConfirmDelete>
    </Paper>
  );
}

interface Values extends Record<string, unknown> {
  targetPackageId: string | null;
  feeCents: string;
  feeProductId: string | null;
  contractRule: ContractRule;
  billOneTime: boolean;
}
const FIELDS = ['targetPackageId', 'feeCents', 'feeProductId', 'contractRule', 'billOneTime'] as const;

function UpgradePathModal({ packageId, path, money, onClose }: { packageId: number; path?: UpgradePath; money: Money; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<Values>({
    initialValues: {
      targetPackageId: path ? String(path.targetPackageId) : null,
      feeCents: path ? money.toText(path.feeCents) : '',
      feeProductId: path?.feeProductId ? String(path.feeProductId) : null,
      contractRule: path?.contractRule ?? 'destination-then-source',
      billOneTime: path?.billOneTime ?? false,
    },
  });
  const { formError, clearFormError, run } = useFormSubmit(form, FIELDS);
  const packages = useApiQuery('packages.list', { active: true, page: 1, pageSize: 500 });
  const targetId = form.values.targetPackageId ? Number(form.values.targetPackageId) : null;
  const target = useApiQuery('packages.get', { id: targetId ?? 0 }, { enabled: targetId !== null });

  const submit = form.onSubmit(async (values) => {
    const fee = values.feeCents.trim() === '' ? ({ ok: true, value: 0 } as const) : money.parse(values.feeCents);
    if (!fee.ok) {
      form.setFieldError('feeCents', fee.message);
      return;
    }
    const common = { feeCents: fee.value, feeProductId: values.feeProductId ? Number(values.feeProductId) : null, contractRule: values.contractRule, billOneTime: values.billOneTime };
    const saved = path
      ? await run(movesApi['upgradePaths.update'].input, { id: path.id, ...common }, () => callApi('upgradePaths.update', { id: path.id, ...common }))
      : await run(movesApi['upgradePaths.create'].input, { packageId, targetPackageId: targetId ?? undefined, ...common }, () => callApi('upgradePaths.create', { packageId, targetPackageId: targetId ?? 0, ...common }));
    if (!saved) return;
    await queryClient.invalidateQueries();
    notifications.show({ color: 'green', title: path ? 'Upgrade path saved' : 'Upgrade path added', message: `${saved.packageName} → ${saved.targetPackageName}`, withBorder: true });
    onClose();
  });

  return (
    <Modal opened onClose={onClose} title={path ? `Path to ${path.targetPackageName}` : 'Add upgrade path'} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormAlert message={formError} onClose={clearFormError} />
          <Select
            label="Target package"
            withAsterisk
            data-autofocus
            searchable
            disabled={path !== undefined}
            data={(packages.data?.rows ?? []).filter((p) => p.id !== packageId).map((p) => ({ value: String(p.id), label: p.name }))}
            {...form.getInputProps('targetPackageId')}
            onChange={(v) => {
              form.setFieldValue('targetPackageId', v);
              form.setFieldValue('feeProductId', null);
            }}
          />
          <TextInput label="Upgrade fee" placeholder="0.00" leftSection={<Text size="xs" c="dimmed">{money.currency}</Text>} leftSectionWidth={44} {...form.getInputProps('feeCents')} />
          <Select
            label="Fee posted on"
            description="The target product the fee is charged on; it is taxed like that product."
            clearable
            disabled={targetId === null}
            data={(target.data?.products ?? []).map((p) => ({ value: String(p.id), label: p.name }))}
            {...form.getInputProps('feeProductId')}
          />
          <Select label="Contract rule" allowDeselect={false} data={CONTRACT_RULES.map((r) => ({ value: r, label: CONTRACT_RULE_LABELS[r] }))} {...form.getInputProps('contractRule')} />
          <Switch label="Bill the target's one-time products (the wizard's default)" {...form.getInputProps('billOneTime', { type: 'checkbox' })} />
          <FormModalFooter onCancel={onClose} submitting={form.submitting} />
        </Stack>
      </form>
    </Modal>
  );
}
