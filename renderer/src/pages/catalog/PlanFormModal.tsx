import { Loader, Modal, NumberInput, Paper, SegmentedControl, Select, SimpleGrid, Stack, Switch, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import type { OutputOf } from '../../../../shared/api/contract';
import { ACCESS_TECHNOLOGIES, PAY_PERIODS, PLAN_KINDS, QOS_MODES, catalogApi, type PlanKind } from '../../../../shared/api/catalog';
import { callApi, useApiQuery } from '../../api/hooks';
import { FormAlert } from '../../components/FormAlert';
import { LoadError } from '../../components/LoadError';
import { type Money, useMoney } from '../../lib/money';
import { useFormSubmit } from '../../lib/use-form-submit';
import { formatDataCap, kbpsToMbps, mbpsToKbps, numberOrNull, payPeriodLabel, readMoneyFields } from './form-helpers';
import { FormModalFooter } from '../../components/FormModalFooter';

type Plan = OutputOf<'plans.get'>;

export const PAY_PERIOD_LABELS: Record<number, string> = Object.fromEntries(PAY_PERIODS.map((m) => [m, payPeriodLabel(m)]));

interface Values extends Record<string, unknown> {
  kind: PlanKind;
  name: string;
  description: string;
  priceCents: string;
  payPeriodMonths: string;
  taxClassId: string | null;
  active: boolean;
  downloadKbps: number | string;
  uploadKbps: number | string;
  burstDownloadKbps: number | string;
  burstUploadKbps: number | string;
  burstThresholdPercent: number | string;
  burstTimeSeconds: number | string;
  priority: number | string;
  contentionRatio: number | string;
  qosMode: string | null;
  accessTechnology: string | null;
  /** Field names follow the contract's paths so its refusals land on them; speeds typed in Mbit/s. */
  capOn: boolean;
  dataCap: { capGb: number | string; action: 'disable' | 'throttle'; throttleDownloadKbps: number | string; throttleUploadKbps: number | string };
}

const FIELDS = [
  'kind',
  'name',
  'description',
  'priceCents',
  'payPeriodMonths',
  'taxClassId',
  'active',
  'downloadKbps',
  'uploadKbps',
  'burstDownloadKbps',
  'burstUploadKbps',
  'burstThresholdPercent',
  'burstTimeSeconds',
  'priority',
  'contentionRatio',
  'qosMode',
  'accessTechnology',
  'dataCap',
  'dataCap.capGb',
  'dataCap.action',
  'dataCap.throttleDownloadKbps',
  'dataCap.throttleUploadKbps',
] as const;

function valuesOf(p: Plan | undefined, toText: (cents: number) => string): Values {
  return {
    kind: p?.kind ?? 'Internet',
    name: p?.name ?? '',
    description: p?.description ?? '',
    priceCents: p ? toText(p.priceCents) : '',
    payPeriodMonths: String(p?.payPeriodMonths ?? 1),
    taxClassId: p?.taxClassId ? String(p.taxClassId) : null,
    active: p?.active ?? true,
    downloadKbps: kbpsToMbps(p?.downloadKbps),
    uploadKbps: kbpsToMbps(p?.uploadKbps),
    burstDownloadKbps: kbpsToMbps(p?.burstDownloadKbps),
    burstUploadKbps: kbpsToMbps(p?.burstUploadKbps),
    burstThresholdPercent: p?.burstThresholdPercent ?? '',
    burstTimeSeconds: p?.burstTimeSeconds ?? '',
    priority: p?.priority ?? '',
    contentionRatio: p?.contentionRatio ?? '',
    qosMode: p?.qosMode ?? (p ? null : 'Simple queue'),
    accessTechnology: p?.accessTechnology ?? null,
    capOn: Boolean(p?.dataCap),
    dataCap: {
      capGb: p?.dataCap?.capGb ?? '',
      action: p?.dataCap?.action ?? 'throttle',
      throttleDownloadKbps: kbpsToMbps(p?.dataCap?.throttleDownloadKbps),
      throttleUploadKbps: kbpsToMbps(p?.dataCap?.throttleUploadKbps),
    },
  };
}

/** New plan or edit of one. Internet plans show their speeds and QoS; other kinds hide them. */
export function PlanFormModal({ plan, money: given, onClose }: { plan?: Plan; money?: Money | null; onClose: () => void }) {
  const loaded = useMoney();
  const money = given ?? loaded.money;
  const error = loaded.error;
  return (
    <Modal opened onClose={onClose} title={plan ? `Edit ${plan.name}` : 'New plan'} size="xl" centered data-testid="plan-modal">
      {money ? <PlanForm plan={plan} money={money} onClose={onClose} /> : error ? <LoadError what="the currency" error={error} /> : <Loader />}
    </Modal>
  );
}

function PlanForm({ plan, money, onClose }: { plan?: Plan; money: Money; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<Values>({ initialValues: valuesOf(plan, money.toText) });
  const { formError, clearFormError, run } = useFormSubmit(form, FIELDS);
  const taxClasses = useApiQuery('taxClasses.list', {}, { staleTime: 30_000 });
  const next = useRef<'close' | 'new'>('close');
  const nameRef = useRef<HTMLInputElement>(null);
  const internet = form.values.kind === 'Internet';

  const submit = form.onSubmit(async (v) => {
    const amounts = readMoneyFields(form, money, v, ['priceCents'] as const);
    if (!amounts) return;
    const speeds = internet
      ? {
          downloadKbps: mbpsToKbps(v.downloadKbps),
          uploadKbps: mbpsToKbps(v.uploadKbps),
          burstDownloadKbps: mbpsToKbps(v.burstDownloadKbps),
          burstUploadKbps: mbpsToKbps(v.burstUploadKbps),
          burstThresholdPercent: numberOrNull(v.burstThresholdPercent),
          burstTimeSeconds: numberOrNull(v.burstTimeSeconds),
          priority: numberOrNull(v.priority),
          contentionRatio: numberOrNull(v.contentionRatio),
          qosMode: v.qosMode,
          accessTechnology: v.accessTechnology,
        }
      : {
          downloadKbps: null,
          uploadKbps: null,
          burstDownloadKbps: null,
          burstUploadKbps: null,
          burstThresholdPercent: null,
          burstTimeSeconds: null,
          priority: null,
          contentionRatio: null,
          qosMode: null,
          accessTechnology: null,
        };
    const throttle = v.dataCap.action === 'throttle';
    // Saved in the plan's own command: the plan and its cap together, or neither.
    const dataCap =
      internet && v.capOn
        ? {
            capGb: numberOrNull(v.dataCap.capGb),
            action: v.dataCap.action,
            throttleDownloadKbps: throttle ? mbpsToKbps(v.dataCap.throttleDownloadKbps) : null,
            throttleUploadKbps: throttle ? mbpsToKbps(v.dataCap.throttleUploadKbps) : null,
          }
        : null;
    const input = {
      kind: v.kind,
      name: v.name,
      description: v.description,
      priceCents: amounts.priceCents ?? undefined,
      payPeriodMonths: Number(v.payPeriodMonths),
      taxClassId: v.taxClassId ? Number(v.taxClassId) : null,
      active: v.active,
      ...speeds,
      dataCap,
    };
    const saved = plan
      ? await run('plans.update', { id: plan.id, ...input })
      : await run('plans.create', input);
    if (!saved) return;
    await queryClient.invalidateQueries();
    const capNote = saved.dataCap ? ` · cap ${formatDataCap(saved.dataCap)}` : '';
    notifications.show({ color: 'green', title: plan ? 'Plan saved' : 'Plan created', message: `${saved.name} · ${money.format(saved.priceCents)}${capNote}`, withBorder: true });
    if (next.current === 'new' && !plan) {
      form.setValues(valuesOf(undefined, money.toText));
      form.resetDirty();
      form.clearErrors();
      nameRef.current?.focus();
      return;
    }
    onClose();
  });

  return (
    <form onSubmit={submit} noValidate data-testid="plan-form">
      <Stack gap="sm">
        <FormAlert message={formError} onClose={clearFormError} />
        <Stack gap={2}>
          <Text size="sm" fw={500}>
            Kind
          </Text>
          <SegmentedControl
            aria-label="Kind"
            data={PLAN_KINDS.map((k) => ({ value: k, label: k }))}
            value={form.values.kind}
            onChange={(k) => form.setFieldValue('kind', k as PlanKind)}
            disabled={Boolean(plan && plan.serviceCount > 0)}
          />
        </Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
          <TextInput ref={nameRef} label="Name" withAsterisk data-autofocus placeholder="e.g. Wireless 25/5" {...form.getInputProps('name')} />
          <TextInput label="Price" withAsterisk placeholder="49.00" leftSection={<Text size="xs">{money.currency}</Text>} {...form.getInputProps('priceCents')} />
          <Select
            label="Pay period"
            data={PAY_PERIODS.map((m) => ({ value: String(m), label: payPeriodLabel(m) }))}
            allowDeselect={false}
            {...form.getInputProps('payPeriodMonths')}
          />
          <Select
            label="Tax class"
            placeholder={taxClasses.isLoading ? 'Loading…' : 'None'}
            data={(taxClasses.data ?? []).filter((t) => t.active || String(t.id) === form.values.taxClassId).map((t) => ({ value: String(t.id), label: `${t.name} (${t.ratePercent}%)` }))}
            clearable
            {...form.getInputProps('taxClassId')}
          />
        </SimpleGrid>
        <Textarea label="Description" autosize minRows={1} maxRows={4} {...form.getInputProps('description')} />
        {internet && (
          <Paper withBorder p="sm" radius="md">
            <Stack gap="sm">
              <Text fw={600} size="sm" c="dimmed" tt="uppercase" lts={0.4}>
                Internet
              </Text>
              <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md" verticalSpacing="sm">
                <NumberInput label="Download (Mbit/s)" min={0} decimalScale={3} {...form.getInputProps('downloadKbps')} />
                <NumberInput label="Upload (Mbit/s)" min={0} decimalScale={3} {...form.getInputProps('uploadKbps')} />
                <Select label="QoS mode" data={[...QOS_MODES]} clearable {...form.getInputProps('qosMode')} />
                <Select label="Access technology" data={[...ACCESS_TECHNOLOGIES]} clearable {...form.getInputProps('accessTechnology')} />
                <NumberInput label="Burst download (Mbit/s)" min={0} decimalScale={3} {...form.getInputProps('burstDownloadKbps')} />
                <NumberInput label="Burst upload (Mbit/s)" min={0} decimalScale={3} {...form.getInputProps('burstUploadKbps')} />
                <NumberInput label="Burst threshold (%)" min={1} max={100} allowDecimal={false} clampBehavior="none" {...form.getInputProps('burstThresholdPercent')} />
                <NumberInput label="Burst time (s)" min={1} allowDecimal={false} {...form.getInputProps('burstTimeSeconds')} />
                <NumberInput label="Priority" description="1 highest, 8 lowest" min={1} max={8} allowDecimal={false} clampBehavior="none" {...form.getInputProps('priority')} />
                <NumberInput label="Contention ratio" description="Subscribers per share, e.g. 20 for 1:20" min={1} allowDecimal={false} {...form.getInputProps('contentionRatio')} />
              </SimpleGrid>
            </Stack>
          </Paper>
        )}
        {internet && (
          <Paper withBorder p="sm" radius="md" data-testid="plan-data-cap">
            <Stack gap="sm">
              <Switch
                label="Monthly data cap"
                description="Download and upload together, per calendar month; the service goes back to normal on the 1st"
                {...form.getInputProps('capOn', { type: 'checkbox' })}
                data-testid="plan-cap-on"
              />
              {form.values.capOn && (
                <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md" verticalSpacing="sm">
                  <NumberInput label="Cap (GB)" withAsterisk min={1} max={1_000_000} allowDecimal={false} clampBehavior="none" thousandSeparator="," {...form.getInputProps('dataCap.capGb')} data-testid="plan-cap-gb" />
                  <Select
                    label="When reached"
                    allowDeselect={false}
                    data={[
                      { value: 'throttle', label: 'Throttle' },
                      { value: 'disable', label: 'Disable service' },
                    ]}
                    {...form.getInputProps('dataCap.action')}
                    data-testid="plan-cap-action"
                  />
                  {form.values.dataCap.action === 'throttle' && (
                    <>
                      <NumberInput label="Throttled download (Mbit/s)" withAsterisk min={0} decimalScale={3} {...form.getInputProps('dataCap.throttleDownloadKbps')} data-testid="plan-cap-down" />
                      <NumberInput label="Throttled upload (Mbit/s)" withAsterisk min={0} decimalScale={3} {...form.getInputProps('dataCap.throttleUploadKbps')} data-testid="plan-cap-up" />
                    </>
                  )}
                </SimpleGrid>
              )}
            </Stack>
          </Paper>
        )}
        <Switch label="Active: offered for new services" {...form.getInputProps('active', { type: 'checkbox' })} />
        <FormModalFooter onCancel={onClose} submitting={form.submitting} offerSaveAndNew={!plan} onSaveChoice={(after) => (next.current = after)} />
      </Stack>
    </form>
  );
}
