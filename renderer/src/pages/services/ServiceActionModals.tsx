import { ActionIcon, Alert, Badge, Button, Checkbox, Group, Loader, Modal, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconX } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { OutputOf } from '../../../../shared/api/contract';
import { SCHEDULED_CHANGE_KINDS, SERVICE_STATUSES, servicesApi } from '../../../../shared/api/services';
import { callApi, useApiQuery } from '../../api/hooks';
import { FormAlert } from '../../components/FormAlert';
import { type Money, useMoney } from '../../lib/money';
import { formatDate } from '../../lib/format';
import { useFormSubmit } from '../../lib/use-form-submit';
import { payPeriodLabel, readMoneyFields, today } from '../catalog/form-helpers';
import { FormModalFooter } from '../../components/FormModalFooter';

type Service = OutputOf<'services.get'>;
type ChangeKind = (typeof SCHEDULED_CHANGE_KINDS)[number];

/** Plans a service may move to: active ones of the same kind (a Voice service never becomes Internet). */
function usePlanOptions(service: Service, money: Money | null) {
  const plans = useApiQuery('plans.list', { kind: service.planKind, active: true, page: 1, pageSize: 500 }, { staleTime: 30_000 });
  return (plans.data?.rows ?? [])
    .filter((p) => p.id !== service.planId)
    .map((p) => ({ value: String(p.id), label: money ? `${p.name} · ${money.format(p.priceCents)} ${payPeriodLabel(p.payPeriodMonths).toLowerCase()}` : p.name }));
}

function tomorrow(): string {
  const d = new Date();
  d.setDate(d.getDate() + 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

interface ScheduleValues extends Record<string, unknown> {
  effectiveDate: string;
  kind: ChangeKind;
  planId: string | null;
  priceCents: string;
  status: string | null;
  percent: string;
  start: string;
  end: string;
}
/** The change's own fields travel as `change.planId` etc.; errors on them are shown at their inputs. */
const SCHEDULE_FIELDS = ['effectiveDate', 'kind', 'change.planId', 'change.priceCents', 'change.status', 'change.percent', 'change.start', 'change.end', 'change.kind'] as const;

/** Schedule a change of plan, price, status or discount; the service's pending changes are listed, each can be cancelled. */
export function ScheduleChangeModal({ service, onClose }: { service: Service; onClose: () => void }) {
  const queryClient = useQueryClient();
  const { money } = useMoney();
  const form = useForm<ScheduleValues>({
    initialValues: { effectiveDate: tomorrow(), kind: 'plan', planId: null, priceCents: '', status: null, percent: '', start: tomorrow(), end: '' },
  });
  const { formError, clearFormError, run } = useFormSubmit(form, SCHEDULE_FIELDS);
  const planOptions = usePlanOptions(service, money);
  const changes = useApiQuery('services.scheduledChanges', { id: service.id });
  const [cancelError, setCancelError] = useState<string | null>(null);
  const v = form.values;

  const submit = form.onSubmit(async (values) => {
    let change: unknown;
    if (values.kind === 'plan') change = { kind: 'plan', planId: values.planId ? Number(values.planId) : undefined };
    else if (values.kind === 'price') {
      if (!money) return;
      const amounts = readMoneyFields(form, money, values, ['priceCents'] as const);
      if (!amounts) return;
      change = { kind: 'price', priceCents: amounts.priceCents };
    } else if (values.kind === 'status') change = { kind: 'status', status: values.status ?? undefined };
    else change = { kind: 'discount', percent: values.percent, start: values.start, end: values.end || null };
    const input = { serviceId: service.id, effectiveDate: values.effectiveDate, change };
    const saved = await run('services.scheduleChange', input);
    if (!saved) return;
    await queryClient.invalidateQueries();
    notifications.show({ color: 'green', title: 'Change scheduled', message: `${saved.summary} on ${formatDate(saved.effectiveDate)}`, withBorder: true });
    form.setFieldValue('planId', null);
    form.setFieldValue('priceCents', '');
    form.setFieldValue('percent', '');
  });

  const cancel = async (id: number) => {
    setCancelError(null);
    try {
      await callApi('services.cancelScheduledChange', { id });
      await queryClient.invalidateQueries();
    } catch (e) {
      setCancelError(e instanceof Error ? e.message : 'Not cancelled.');
    }
  };

  const fieldErrors = (name: 'planId' | 'priceCents' | 'status' | 'percent' | 'start' | 'end') => form.errors[name] ?? form.errors[`change.${name}`];
  const pending = (changes.data ?? []).filter((c) => c.state === 'pending');
  const done = (changes.data ?? []).filter((c) => c.state !== 'pending').slice(0, 5);

  return (
    <Modal opened onClose={onClose} title={`Schedule a change: ${service.description}`} size="lg" centered data-testid="schedule-modal">
      <Stack gap="sm">
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <FormAlert message={formError} onClose={clearFormError} />
            <SimpleGrid cols={2} spacing="md">
              <TextInput type="date" label="Effective date" withAsterisk data-autofocus {...form.getInputProps('effectiveDate')} />
              <Stack gap={2}>
                <Text size="sm" fw={500}>
                  Change
                </Text>
                <SegmentedControl
                  aria-label="Change"
                  data={SCHEDULED_CHANGE_KINDS.map((k) => ({ value: k, label: k[0]!.toUpperCase() + k.slice(1) }))}
                  value={v.kind}
                  onChange={(k) => form.setFieldValue('kind', k as ChangeKind)}
                />
              </Stack>
            </SimpleGrid>
            {v.kind === 'plan' && <Select label="New plan" withAsterisk data={planOptions} searchable {...form.getInputProps('planId')} error={fieldErrors('planId')} />}
            {v.kind === 'price' && (
              <TextInput
                label="New price"
                description={`Blank: back to the plan's price (${money ? money.format(service.planPriceCents) : '…'})`}
                leftSection={<Text size="xs">{money?.currency}</Text>}
                {...form.getInputProps('priceCents')}
                error={fieldErrors('priceCents')}
              />
            )}
            {v.kind === 'status' && <Select label="New status" withAsterisk data={[...SERVICE_STATUSES]} {...form.getInputProps('status')} error={fieldErrors('status')} />}
            {v.kind === 'discount' && (
              <SimpleGrid cols={3} spacing="md">
                <TextInput label="Discount (%)" withAsterisk {...form.getInputProps('percent')} error={fieldErrors('percent')} />
                <TextInput type="date" label="From" withAsterisk {...form.getInputProps('start')} error={fieldErrors('start')} />
                <TextInput type="date" label="Until" description="Blank: open-ended" {...form.getInputProps('end')} error={fieldErrors('end')} />
              </SimpleGrid>
            )}
            <Group justify="flex-end">
              <Button type="submit" loading={form.submitting}>
                Schedule
              </Button>
            </Group>
          </Stack>
        </form>
        <Text fw={600} size="sm">
          Pending changes
        </Text>
        {cancelError && (
          <Alert color="red" variant="light" title="Not cancelled">
            {cancelError}
          </Alert>
        )}
        {changes.isLoading ? (
          <Loader size="sm" />
        ) : pending.length === 0 ? (
          <Text size="sm" c="dimmed">
            None pending.
          </Text>
        ) : (
          <Table verticalSpacing={4} data-testid="pending-changes">
            <Table.Tbody>
              {pending.map((c) => (
                <Table.Tr key={c.id} data-testid="pending-change">
                  <Table.Td className="tabular" w={130}>
                    {formatDate(c.effectiveDate)}
                  </Table.Td>
                  <Table.Td>{c.summary}</Table.Td>
                  <Table.Td w={40}>
                    <Tooltip label="Cancel this change" openDelay={300}>
                      <ActionIcon variant="subtle" color="red" aria-label={`Cancel ${c.summary}`} onClick={() => cancel(c.id)}>
                        <IconX size={16} />
                      </ActionIcon>
                    </Tooltip>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {done.length > 0 && (
          <Text size="xs" c="dimmed">
            Earlier: {done.map((c) => `${c.summary} (${c.state}${c.outcome ? `: ${c.outcome}` : ''}, ${c.effectiveDate})`).join('; ')}
          </Text>
        )}
      </Stack>
    </Modal>
  );
}

/** Names the old plan and the new one: the service's description is often the old plan's name. */
export function planChangedMessage(oldPlan: string, newPlan: string): string {
  return `Moved from ${oldPlan} to ${newPlan}`;
}

interface ChangePlanValues extends Record<string, unknown> {
  planId: string | null;
  keepPrice: boolean;
}

/**
 * Move to another plan of the same kind, today. Choosing the plan shows the preview the back end
 * computes (services.changePlanPreview): unused days of the old price credited, the new price
 * charged to the end of the period, each with its arithmetic, and the net; a downgrade shows its
 * credit; a plan the service cannot take (kind, access technology) is refused at the plan field.
 */
export function ChangePlanModal({ service, onClose }: { service: Service; onClose: () => void }) {
  const queryClient = useQueryClient();
  const { money } = useMoney();
  const form = useForm<ChangePlanValues>({ initialValues: { planId: null, keepPrice: false } });
  const { formError, clearFormError, run } = useFormSubmit(form, ['planId', 'keepPrice']);
  const planOptions = usePlanOptions(service, money);
  const planId = form.values.planId ? Number(form.values.planId) : null;
  const preview = useApiQuery('services.changePlanPreview', { id: service.id, planId: planId ?? 0, keepPrice: form.values.keepPrice }, { enabled: planId !== null });
  const $ = (c: number) => (money ? money.format(c) : String(c));
  const refused = planId !== null && preview.error ? preview.error.message : null;

  const submit = form.onSubmit(async (values) => {
    const input = { id: service.id, planId: values.planId ? Number(values.planId) : undefined, keepPrice: values.keepPrice };
    const saved = await run('services.changePlan', input);
    if (!saved) return;
    await queryClient.invalidateQueries();
    notifications.show({ color: 'green', title: 'Plan changed', message: planChangedMessage(service.planName, saved.planName), withBorder: true });
    onClose();
  });

  const p = planId !== null ? preview.data : undefined;
  return (
    <Modal opened onClose={onClose} title={`Change plan now: ${service.description}`} centered size="lg" data-testid="change-plan-modal">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormAlert message={formError} onClose={clearFormError} />
          <Text size="sm">
            Now on <b>{service.planName}</b>. Only {service.planKind} plans are offered.
          </Text>
          <Select
            label="New plan"
            withAsterisk
            data-autofocus
            searchable
            data={planOptions}
            nothingFoundMessage="No other active plan of this kind"
            {...form.getInputProps('planId')}
            error={form.getInputProps('planId').error ?? refused}
          />
          {service.priceOverridden && (
            <Checkbox label={`Keep this service's own price (${money ? money.format(service.priceCents) : '…'})`} {...form.getInputProps('keepPrice', { type: 'checkbox' })} />
          )}
          {planId !== null && preview.isLoading && (
            <Group gap="xs">
              <Loader size="xs" />
              <Text size="sm" c="dimmed">Working out the credit and the new charge…</Text>
            </Group>
          )}
          {p && (
            <Stack gap={6} data-testid="plan-change-preview">
              <Text fw={600} size="sm">
                {p.fromPlanName} → {p.toPlanName} on {formatDate(p.date)}
              </Text>
              {p.credits.length + p.charges.length === 0 ? (
                <Text size="sm" c="dimmed">Nothing billed changes: the new price applies from the next bill.</Text>
              ) : (
                <Table withTableBorder verticalSpacing={4} fz="sm">
                  <Table.Tbody>
                    {p.credits.map((c) => (
                      <Table.Tr key={`c${c.chargeId}`} data-testid="plan-change-credit">
                        <Table.Td>{c.explanation}</Table.Td>
                        <Table.Td ta="right" className="tabular" style={{ whiteSpace: 'nowrap' }}>−{$(c.amountCents)}</Table.Td>
                        <Table.Td ta="right" className="tabular" c="dimmed" style={{ whiteSpace: 'nowrap' }}>tax −{$(c.taxCents)}</Table.Td>
                      </Table.Tr>
                    ))}
                    {p.charges.map((c, i) => (
                      <Table.Tr key={`ch${i}`} data-testid="plan-change-charge">
                        <Table.Td>{c.explanation}</Table.Td>
                        <Table.Td ta="right" className="tabular" style={{ whiteSpace: 'nowrap' }}>{$(c.amountCents)}</Table.Td>
                        <Table.Td ta="right" className="tabular" c="dimmed" style={{ whiteSpace: 'nowrap' }}>tax {$(c.taxCents)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
              <Group justify="flex-end">
                <Badge size="lg" variant="light" color={p.netCents > 0 ? 'orange' : 'teal'} data-testid="plan-change-net">
                  {p.netCents < 0 ? `Credit ${$(-p.netCents)}` : `Net ${$(p.netCents)}`}
                </Badge>
              </Group>
            </Stack>
          )}
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting} disabled={!p || refused !== null} data-testid="plan-change-confirm">
              Change plan
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

interface DiscountValues extends Record<string, unknown> {
  percent: string;
  start: string;
  end: string;
}

export function AddDiscountModal({ service, onClose }: { service: Service; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<DiscountValues>({ initialValues: { percent: '', start: today(), end: '' } });
  const { formError, clearFormError, run } = useFormSubmit(form, ['percent', 'start', 'end']);

  const submit = form.onSubmit(async (values) => {
    const input = { id: service.id, percent: values.percent, start: values.start, end: values.end || null };
    const saved = await run('services.addDiscount', input);
    if (!saved) return;
    await queryClient.invalidateQueries();
    notifications.show({ color: 'green', title: 'Discount added', message: `${saved.discountPercent}% on ${saved.description}`, withBorder: true });
    onClose();
  });

  return (
    <Modal opened onClose={onClose} title={`Add a discount: ${service.description}`} centered data-testid="discount-modal">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormAlert message={formError} onClose={clearFormError} />
          {service.discountPercent && (
            <Text size="sm" c="dimmed">
              Replaces the current {service.discountPercent}% discount.
            </Text>
          )}
          <SimpleGrid cols={3} spacing="md">
            <TextInput label="Discount (%)" withAsterisk data-autofocus placeholder="e.g. 10" {...form.getInputProps('percent')} />
            <TextInput type="date" label="From" withAsterisk {...form.getInputProps('start')} />
            <TextInput type="date" label="Until" description="Inclusive; blank: open-ended" {...form.getInputProps('end')} />
          </SimpleGrid>
          <FormModalFooter onCancel={onClose} submitting={form.submitting} saveLabel="Add discount" />
        </Stack>
      </form>
    </Modal>
  );
}

interface GeoValues extends Record<string, unknown> {
  latitude: number | string;
  longitude: number | string;
}

/** Where the service is: both coordinates, or neither. */
export function GeolocateModal({ service, onClose }: { service: Service; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<GeoValues>({ initialValues: { latitude: service.latitude ?? '', longitude: service.longitude ?? '' } });
  const { formError, clearFormError, run } = useFormSubmit(form, ['latitude', 'longitude']);

  const save = async (values: GeoValues) => {
    const input = {
      id: service.id,
      latitude: typeof values.latitude === 'number' ? values.latitude : null,
      longitude: typeof values.longitude === 'number' ? values.longitude : null,
    };
    const saved = await run('services.geolocate', input);
    if (!saved) return;
    await queryClient.invalidateQueries();
    notifications.show({
      color: 'green',
      title: 'Location saved',
      message: saved.latitude === null ? `${saved.description} has no location now` : `${saved.description} at ${saved.latitude}, ${saved.longitude}`,
      withBorder: true,
    });
    onClose();
  };

  return (
    <Modal opened onClose={onClose} title={`Geolocate: ${service.description}`} centered data-testid="geolocate-modal">
      <form onSubmit={form.onSubmit(save)} noValidate>
        <Stack gap="sm">
          <FormAlert message={formError} onClose={clearFormError} />
          <SimpleGrid cols={2} spacing="md">
            <NumberInput label="Latitude" decimalScale={6} min={-90} max={90} clampBehavior="none" data-autofocus {...form.getInputProps('latitude')} />
            <NumberInput label="Longitude" decimalScale={6} min={-180} max={180} clampBehavior="none" {...form.getInputProps('longitude')} />
          </SimpleGrid>
          <Group justify="space-between">
            <Button variant="subtle" color="red" disabled={service.latitude === null} onClick={() => save({ latitude: '', longitude: '' })}>
              Clear location
            </Button>
            <Group gap="xs">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={form.submitting}>
                Save
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
