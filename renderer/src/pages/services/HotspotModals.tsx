import { Modal, NumberInput, PasswordInput, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { OutputOf } from '../../../../shared/api/contract';
import { HOTSPOT_USER_STATUSES, servicesApi } from '../../../../shared/api/services';
import { callApi, useApiQuery } from '../../api/hooks';
import { FormAlert } from '../../components/FormAlert';
import { useMoney } from '../../lib/money';
import { useFormSubmit } from '../../lib/use-form-submit';
import { formatSpeeds } from '../catalog/form-helpers';
import { formatHotspotLimits } from '../../../../shared/domain/hotspot';
import { FormModalFooter } from '../../components/FormModalFooter';

type HotspotUser = OutputOf<'hotspotUsers.get'>;
type HotspotPlan = OutputOf<'hotspotPlans.get'>;
type VoucherBatch = OutputOf<'vouchers.generateBatch'>;

/** "24 h · 2 GB · 10/2 Mbit/s · valid 1 day": a hotspot plan's limits in one line (shared/domain/hotspot.ts reads them, everywhere). */
export function hotspotLimits(p: { timeLimitMinutes: number | null; dataLimitMb: number | null; validityDays: number; downloadKbps?: number | null; uploadKbps?: number | null }): string {
  const speeds = formatSpeeds(p.downloadKbps ?? null, p.uploadKbps ?? null);
  const [time, data, validity] = formatHotspotLimits(p).split(' · ');
  return [time, data, speeds, validity].filter(Boolean).join(' · ');
}

function useHotspotPlanOptions(current: number | null) {
  const { money } = useMoney();
  const plans = useApiQuery('hotspotPlans.list', {}, { staleTime: 30_000 });
  const rows: HotspotPlan[] = plans.data ?? [];
  return {
    loading: plans.isLoading,
    options: rows
      .filter((p) => p.active || p.id === current)
      .map((p) => ({ value: String(p.id), label: `${p.name} · ${hotspotLimits(p)}${money ? ` · ${money.format(p.priceCents)}` : ''}` })),
  };
}

interface UserValues extends Record<string, unknown> {
  hotspotPlanId: string | null;
  login: string;
  password: string;
  macBinding: string;
  status: string;
}
const USER_FIELDS = ['hotspotPlanId', 'login', 'password', 'macBinding', 'status'] as const;

/** A hotspot user with a login (new or edit), or the edit of a voucher (whose code is fixed). */
export function HotspotUserFormModal({ subscriptionId, user, onClose }: { subscriptionId: number; user?: HotspotUser; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<UserValues>({
    initialValues: {
      hotspotPlanId: user ? String(user.hotspotPlanId) : null,
      login: user?.login ?? '',
      password: user?.password ?? '',
      macBinding: user?.macBinding ?? '',
      status: user?.status ?? 'Active',
    },
  });
  const { formError, clearFormError, run } = useFormSubmit(form, USER_FIELDS);
  const plans = useHotspotPlanOptions(user?.hotspotPlanId ?? null);
  const voucher = user?.kind === 'voucher';

  const submit = form.onSubmit(async (v) => {
    const fields = {
      hotspotPlanId: v.hotspotPlanId ? Number(v.hotspotPlanId) : undefined,
      ...(voucher ? {} : { login: v.login }),
      password: v.password,
      macBinding: v.macBinding.trim() ? v.macBinding.trim() : null,
      status: v.status,
    };
    const saved = user
      ? await run('hotspotUsers.update', { id: user.id, ...fields })
      : await run('hotspotUsers.create', { subscriptionId, ...fields });
    if (!saved) return;
    await queryClient.invalidateQueries();
    notifications.show({ color: 'green', title: user ? 'Hotspot user saved' : 'Hotspot user added', message: `${saved.login} · ${saved.hotspotPlanName}`, withBorder: true });
    onClose();
  });

  return (
    <Modal opened onClose={onClose} title={user ? `Edit ${voucher ? 'voucher' : 'hotspot user'} ${user.login}` : 'New hotspot user'} size="lg" centered data-testid="hotspot-user-modal">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormAlert message={formError} onClose={clearFormError} />
          <Select
            label="Hotspot plan"
            withAsterisk
            data-autofocus
            placeholder={plans.loading ? 'Loading…' : plans.options.length === 0 ? 'No hotspot plan yet: add one under Catalog' : 'Choose a plan'}
            data={plans.options}
            {...form.getInputProps('hotspotPlanId')}
          />
          <SimpleGrid cols={2} spacing="md" verticalSpacing="sm">
            <TextInput label={voucher ? 'Voucher code' : 'Login'} withAsterisk={!voucher} disabled={voucher} autoComplete="off" {...form.getInputProps('login')} />
            <PasswordInput label="Password" autoComplete="new-password" description={voucher ? 'Blank: the code alone logs in' : undefined} {...form.getInputProps('password')} />
            <TextInput label="MAC binding" placeholder="Blank: any device" {...form.getInputProps('macBinding')} />
            <Select label="Status" data={[...HOTSPOT_USER_STATUSES]} allowDeselect={false} {...form.getInputProps('status')} />
          </SimpleGrid>
          <FormModalFooter onCancel={onClose} submitting={form.submitting} />
        </Stack>
      </form>
    </Modal>
  );
}

interface BatchValues extends Record<string, unknown> {
  hotspotPlanId: string | null;
  count: number | string;
  prefix: string;
}

/** Generates N voucher codes on one plan, as one printable batch. */
export function GenerateVouchersModal({ subscriptionId, onGenerated, onClose }: { subscriptionId: number; onGenerated: (batch: VoucherBatch) => void; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<BatchValues>({ initialValues: { hotspotPlanId: null, count: 10, prefix: '' } });
  const { formError, clearFormError, run } = useFormSubmit(form, ['hotspotPlanId', 'count', 'prefix']);
  const plans = useHotspotPlanOptions(null);

  const submit = form.onSubmit(async (v) => {
    const input = {
      subscriptionId,
      hotspotPlanId: v.hotspotPlanId ? Number(v.hotspotPlanId) : undefined,
      count: typeof v.count === 'number' ? v.count : undefined,
      prefix: v.prefix.trim().toUpperCase(),
    };
    const batch = await run('vouchers.generateBatch', input);
    if (!batch) return;
    await queryClient.invalidateQueries();
    notifications.show({ color: 'green', title: 'Vouchers generated', message: `${batch.vouchers.length} vouchers on ${batch.hotspotPlanName}`, withBorder: true });
    onGenerated(batch);
  });

  return (
    <Modal opened onClose={onClose} title="Generate vouchers" centered data-testid="vouchers-modal">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormAlert message={formError} onClose={clearFormError} />
          <Select
            label="Hotspot plan"
            withAsterisk
            data-autofocus
            placeholder={plans.loading ? 'Loading…' : plans.options.length === 0 ? 'No hotspot plan yet: add one under Catalog' : 'Choose a plan'}
            data={plans.options}
            {...form.getInputProps('hotspotPlanId')}
          />
          <SimpleGrid cols={2} spacing="md">
            <NumberInput label="Number of vouchers" withAsterisk min={1} max={500} allowDecimal={false} clampBehavior="none" {...form.getInputProps('count')} />
            <TextInput label="Code prefix" placeholder="e.g. RV" description="Up to 6 capital letters or digits" {...form.getInputProps('prefix')} />
          </SimpleGrid>
          <Text size="xs" c="dimmed">
            Each voucher is a hotspot user with its own code; the batch can be printed as a sheet of cards.
          </Text>
          <FormModalFooter onCancel={onClose} submitting={form.submitting} saveLabel="Generate" />
        </Stack>
      </form>
    </Modal>
  );
}
