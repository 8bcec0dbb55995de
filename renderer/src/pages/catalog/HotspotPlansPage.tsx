import { formatMegabytes, formatMinutes } from '../../../../shared/domain/hotspot';
import { Button, Loader, Modal, NumberInput, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { catalogApi } from '../../../../shared/api/catalog';
import type { OutputOf } from '../../../../shared/api/contract';
import { callApi, useApiQuery } from '../../api/hooks';
import { ActiveBadge } from '../../components/ActiveBadge';
import { ConfirmDeleteRecord } from '../../components/ConfirmDeleteRecord';
import { FormAlert } from '../../components/FormAlert';
import { LoadError } from '../../components/LoadError';
import { PageHeader } from '../../components/PageHeader';
import { RecordTable } from '../../components/RecordTable';
import { RowActions } from '../../components/RowActions';
import { type Money, useMoney } from '../../lib/money';
import { useFormSubmit } from '../../lib/use-form-submit';
import { formatSpeed } from './PlansPage';
import { FormModalFooter } from '../../components/FormModalFooter';

type HotspotPlan = OutputOf<'hotspotPlans.get'>;

const LIMITS = ['timeLimitMinutes', 'dataLimitMb', 'downloadKbps', 'uploadKbps'] as const;

interface Values extends Record<string, unknown> {
  name: string;
  timeLimitMinutes: number | string;
  dataLimitMb: number | string;
  downloadKbps: number | string;
  uploadKbps: number | string;
  validityDays: number | string;
  priceCents: string;
  active: boolean;
}
const FIELDS = ['name', ...LIMITS, 'validityDays', 'priceCents', 'active'] as const;

function limits(h: HotspotPlan): string {
  const parts = [
    // One formatter for hotspot limits on every screen and card: "24 h", "2 GB".
    h.timeLimitMinutes !== null && formatMinutes(h.timeLimitMinutes),
    h.dataLimitMb !== null && formatMegabytes(h.dataLimitMb),
    h.downloadKbps !== null && `${formatSpeed(h.downloadKbps)} down`,
    h.uploadKbps !== null && `${formatSpeed(h.uploadKbps)} up`,
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'No limits';
}

/** Hotspot plans: what a hotspot user or voucher gets (time, data, speed) and for how long. */
export function HotspotPlansPage() {
  const { money, error: moneyError } = useMoney();
  const [editing, setEditing] = useState<HotspotPlan | 'new' | null>(null);
  const [deleting, setDeleting] = useState<HotspotPlan | null>(null);
  const list = useApiQuery('hotspotPlans.list', {});

  if (moneyError) return <LoadError what="the currency settings" error={moneyError} />;
  if (!money) return <Loader m="xl" />;

  return (
    <>
      <PageHeader
        title="Hotspot plans"
        description="Time, data and speed limits for hotspot users and vouchers."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
            New hotspot plan
          </Button>
        }
      />
      <RecordTable<HotspotPlan>
        what="hotspot plans"
        list={list}
        noRecordsText="No hotspot plans yet."
        onRowClick={(record) => setEditing(record)}
        rowAttributes={(record) => ({ 'data-testid': 'hotspot-plan-row', 'data-hotspot-plan-id': record.id })}
        columns={[
          { accessor: 'name', title: 'Name' },
          { accessor: 'limits', title: 'Limits', render: limits },
          { accessor: 'validityDays', title: 'Valid for', width: 110, render: (h) => `${h.validityDays} day${h.validityDays === 1 ? '' : 's'}` },
          { accessor: 'priceCents', title: 'Price', width: 110, textAlign: 'right', cellsClassName: 'tabular', render: (h) => money.format(h.priceCents) },
          { accessor: 'userCount', title: 'Users', width: 90, textAlign: 'right', cellsClassName: 'tabular' },
          { accessor: 'active', title: 'Active', width: 100, render: (h) => <ActiveBadge active={h.active} /> },
          { accessor: 'actions', title: '', width: 90, render: (h) => <RowActions name={h.name} onEdit={() => setEditing(h)} onDelete={() => setDeleting(h)} /> },
        ]}
      />
      {editing && <HotspotPlanModal plan={editing === 'new' ? undefined : editing} money={money} onClose={() => setEditing(null)} />}
      <ConfirmDeleteRecord procedure="hotspotPlans.delete" record={deleting} name={(r) => r.name} title="Delete hotspot plan" onClose={() => setDeleting(null)}>
        A plan that hotspot users have cannot be deleted; make it inactive instead.
      </ConfirmDeleteRecord>
    </>
  );
}

const numberOrNull = (v: number | string) => (typeof v === 'number' ? v : null);

function HotspotPlanModal({ plan, money, onClose }: { plan?: HotspotPlan; money: Money; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<Values>({
    initialValues: {
      name: plan?.name ?? '',
      timeLimitMinutes: plan?.timeLimitMinutes ?? '',
      dataLimitMb: plan?.dataLimitMb ?? '',
      downloadKbps: plan?.downloadKbps ?? '',
      uploadKbps: plan?.uploadKbps ?? '',
      validityDays: plan?.validityDays ?? 1,
      priceCents: plan ? money.toText(plan.priceCents) : '',
      active: plan?.active ?? true,
    },
  });
  const { formError, clearFormError, run } = useFormSubmit(form, FIELDS);

  const submit = form.onSubmit(async (values) => {
    const price = money.parse(values.priceCents);
    if (values.priceCents.trim() === '' || !price.ok) {
      form.setFieldError('priceCents', values.priceCents.trim() === '' || price.ok ? 'Required' : price.message);
      return;
    }
    const input = {
      name: values.name,
      timeLimitMinutes: numberOrNull(values.timeLimitMinutes),
      dataLimitMb: numberOrNull(values.dataLimitMb),
      downloadKbps: numberOrNull(values.downloadKbps),
      uploadKbps: numberOrNull(values.uploadKbps),
      validityDays: numberOrNull(values.validityDays) ?? undefined,
      priceCents: price.value,
      active: values.active,
    };
    const saved = plan
      ? await run('hotspotPlans.update', { id: plan.id, ...input })
      : await run('hotspotPlans.create', input);
    if (!saved) return;
    await queryClient.invalidateQueries();
    notifications.show({ color: 'green', title: plan ? 'Hotspot plan saved' : 'Hotspot plan created', message: saved.name, withBorder: true });
    onClose();
  });

  const whole = (field: (typeof FIELDS)[number], label: string, required = false) => (
    <NumberInput label={label} withAsterisk={required} allowDecimal={false} allowNegative={false} thousandSeparator="," {...form.getInputProps(field)} />
  );

  return (
    <Modal opened onClose={onClose} title={plan ? `Edit ${plan.name}` : 'New hotspot plan'} size="lg" centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormAlert message={formError} onClose={clearFormError} />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
            <TextInput label="Name" withAsterisk data-autofocus {...form.getInputProps('name')} />
            <TextInput label="Price" withAsterisk placeholder="5.00" leftSection={<Text size="xs" c="dimmed">{money.currency}</Text>} leftSectionWidth={44} {...form.getInputProps('priceCents')} />
            {whole('validityDays', 'Valid for (days)', true)}
            {whole('timeLimitMinutes', 'Time limit (minutes)')}
            {whole('dataLimitMb', 'Data limit (MB)')}
            {whole('downloadKbps', 'Download (kbps)')}
            {whole('uploadKbps', 'Upload (kbps)')}
          </SimpleGrid>
          <Text size="xs" c="dimmed">
            Leave a limit blank for none.
          </Text>
          <Switch label="Active" {...form.getInputProps('active', { type: 'checkbox' })} />
          <FormModalFooter onCancel={onClose} submitting={form.submitting} />
        </Stack>
      </form>
    </Modal>
  );
}
