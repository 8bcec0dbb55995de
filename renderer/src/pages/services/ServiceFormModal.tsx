import { Badge, Group, Loader, Modal, NumberInput, Paper, PasswordInput, SegmentedControl, Select, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import { PAY_PERIODS, RATING_METHODS } from '../../../../shared/api/catalog';
import type { OutputOf } from '../../../../shared/api/contract';
import { IPV4_ASSIGNMENTS, SERVICE_STATUSES, servicesApi } from '../../../../shared/api/services';
import { callApi, useApiQuery } from '../../api/hooks';
import { FormAlert } from '../../components/FormAlert';
import { LoadError } from '../../components/LoadError';
import { type Money, useMoney } from '../../lib/money';
import { useFormSubmit } from '../../lib/use-form-submit';
import { formatSpeeds, payPeriodLabel, readMoneyFields, today } from '../catalog/form-helpers';
import { FormModalFooter } from '../../components/FormModalFooter';

type Service = OutputOf<'services.get'>;
type Subscription = OutputOf<'subscriptions.get'>;
type Plan = OutputOf<'plans.get'>;
type Assignment = (typeof IPV4_ASSIGNMENTS)[number];

interface Values extends Record<string, unknown> {
  accountPackageId: string | null;
  packageProductId: string | null;
  planId: string | null;
  description: string;
  quantity: string;
  unit: string;
  ownPrice: boolean;
  priceCents: string;
  payPeriodMonths: string | null;
  ratingMethod: string;
  startDate: string;
  endDate: string;
  discountPercent: string;
  discountStart: string;
  discountEnd: string;
  status: string;
  routerId: string | null;
  login: string;
  password: string;
  ipv4Assignment: Assignment;
  /** Only helps pick a free address; the address itself is what is saved. */
  addressNetworkId: string | null;
  ipv4Address: string;
  routedNetwork: string;
  poolNetworkId: string | null;
  macAddresses: string;
  portId: string;
  latitude: number | string;
  longitude: number | string;
  answers: Record<string, string>;
  profileAnswers: string;
}

const FIELDS = [
  'accountPackageId',
  'packageProductId',
  'planId',
  'description',
  'quantity',
  'unit',
  'priceCents',
  'payPeriodMonths',
  'ratingMethod',
  'startDate',
  'endDate',
  'discountPercent',
  'discountStart',
  'discountEnd',
  'status',
  'routerId',
  'login',
  'password',
  'ipv4Assignment',
  'ipv4Address',
  'routedNetwork',
  'poolNetworkId',
  'macAddresses',
  'portId',
  'latitude',
  'longitude',
  'profileAnswers',
] as const;

const ANY_POOL = 'any';

function valuesOf(s: Service | undefined, money: Money): Values {
  return {
    accountPackageId: s?.accountPackageId ? String(s.accountPackageId) : null,
    packageProductId: s?.packageProductId ? String(s.packageProductId) : null,
    planId: s ? String(s.planId) : null,
    description: s?.description ?? '',
    quantity: s?.quantity ?? '1',
    unit: s?.unit ?? '',
    ownPrice: s?.priceOverridden ?? false,
    priceCents: s?.priceOverridden ? money.toText(s.priceCents) : '',
    payPeriodMonths: s ? String(s.payPeriodMonths) : null,
    ratingMethod: s?.ratingMethod ?? 'recurring',
    startDate: s?.startDate ?? today(),
    endDate: s?.endDate ?? '',
    discountPercent: s?.discountPercent ?? '',
    discountStart: s?.discountStart ?? '',
    discountEnd: s?.discountEnd ?? '',
    status: s?.status ?? 'Active',
    routerId: s?.routerId ? String(s.routerId) : null,
    login: s?.login ?? '',
    password: s?.passwordSource === 'service' ? (s.password ?? '') : '',
    ipv4Assignment: s?.ipv4Assignment ?? 'none',
    addressNetworkId: null,
    ipv4Address: s?.ipv4Address ?? '',
    routedNetwork: s?.routedNetwork ?? '',
    poolNetworkId: s?.poolNetworkId ? String(s.poolNetworkId) : ANY_POOL,
    macAddresses: s?.macAddresses.join(', ') ?? '',
    portId: s?.portId ?? '',
    latitude: s?.latitude ?? '',
    longitude: s?.longitude ?? '',
    answers: Object.fromEntries((s?.profileAnswers ?? []).map((a) => [String(a.questionId), a.answer])),
    profileAnswers: '',
  };
}

const blankToNull = (t: string) => (t.trim() ? t.trim() : null);
const idOrNull = (v: string | null) => (v ? Number(v) : null);

/** New service on a subscription, or edit of one. Tariff options appear for Internet plans only. */
export function ServiceFormModal({ subscription, service, onClose }: { subscription: Subscription; service?: Service; onClose: () => void }) {
  const { money, error } = useMoney();
  return (
    <Modal opened onClose={onClose} title={service ? `Edit ${service.description}` : 'New service'} size="xl" centered data-testid="service-modal">
      {money ? <ServiceForm subscription={subscription} service={service} money={money} onClose={onClose} /> : error ? <LoadError what="the currency" error={error} /> : <Loader />}
    </Modal>
  );
}

function ServiceForm({ subscription, service, money, onClose }: { subscription: Subscription; service?: Service; money: Money; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<Values>({ initialValues: valuesOf(service, money) });
  const { formError, clearFormError, run } = useFormSubmit(form, FIELDS);
  const next = useRef<'close' | 'new'>('close');
  const planRef = useRef<HTMLInputElement>(null);
  const v = form.values;

  const plans = useApiQuery('plans.list', { active: true, page: 1, pageSize: 500 }, { staleTime: 30_000 });
  const currentPlan = useApiQuery('plans.get', { id: Number(v.planId) }, { enabled: Boolean(v.planId) });
  const routers = useApiQuery('routers.list', {}, { staleTime: 30_000 });
  const permanentNetworks = useApiQuery('ipNetworks.list', { kind: 'permanent', page: 1, pageSize: 500 }, { staleTime: 10_000 });
  const pools = useApiQuery('ipNetworks.list', { kind: 'pool', page: 1, pageSize: 500 }, { staleTime: 10_000 });
  const accountPackages = useApiQuery('accountPackages.listBySubscription', { subscriptionId: subscription.id }, { enabled: !service });
  const chosenAccountPackage = (accountPackages.data ?? []).find((a) => String(a.id) === v.accountPackageId);
  const packageId = chosenAccountPackage?.packageId ?? null;
  const servicePackage = useApiQuery('accountPackages.get', { id: service?.accountPackageId ?? 0 }, { enabled: Boolean(service?.accountPackageId) });
  const pkgId = packageId ?? servicePackage.data?.packageId ?? null;
  const pkg = useApiQuery('packages.get', { id: pkgId ?? 0 }, { enabled: pkgId !== null });

  const plan: Plan | undefined = currentPlan.data;
  const internet = plan?.kind === 'Internet';
  const planOptions = useMemo(() => {
    const rows = plans.data?.rows ?? [];
    const options = rows.map((p) => ({ value: String(p.id), label: `${p.name} · ${money.format(p.priceCents)} ${payPeriodLabel(p.payPeriodMonths).toLowerCase()}` }));
    if (plan && !rows.some((p) => p.id === plan.id)) options.unshift({ value: String(plan.id), label: `${plan.name} (retired)` });
    return options;
  }, [plans.data, plan, money]);

  // A new permanent assignment takes the network's lowest free address, unless one was typed.
  const nextFree = useApiQuery('ipNetworks.nextFree', { id: Number(v.addressNetworkId) }, { enabled: Boolean(v.addressNetworkId), staleTime: 0 });
  useEffect(() => {
    if (nextFree.data?.address && !form.values.ipv4Address) form.setFieldValue('ipv4Address', nextFree.data.address);
  }, [nextFree.data]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = form.onSubmit(async (values) => {
    const amounts = readMoneyFields(form, money, values, ['priceCents'] as const);
    if (!amounts) return;
    if (values.ownPrice && amounts.priceCents === null) {
      form.setFieldError('priceCents', 'Type the service\'s own price, or switch "Own price" off');
      return;
    }
    const permanent = values.ipv4Assignment === 'permanent';
    const tariff = internet
      ? {
          routerId: idOrNull(values.routerId),
          login: values.login,
          password: values.password,
          ipv4Assignment: values.ipv4Assignment,
          ipv4Address: permanent ? blankToNull(values.ipv4Address) : null,
          routedNetwork: blankToNull(values.routedNetwork),
          poolNetworkId: values.ipv4Assignment === 'dynamic' && values.poolNetworkId !== ANY_POOL ? idOrNull(values.poolNetworkId) : null,
          macAddresses: blankToNull(values.macAddresses),
          portId: values.portId,
        }
      : { routerId: null, login: null, password: null, ipv4Assignment: 'none' as const, ipv4Address: null, routedNetwork: null, poolNetworkId: null, macAddresses: null, portId: null };
    const questions = pkg.data?.questions ?? [];
    const editable = {
      description: values.description,
      quantity: values.quantity,
      unit: values.unit,
      priceCents: values.ownPrice ? amounts.priceCents : null,
      payPeriodMonths: values.payPeriodMonths ? Number(values.payPeriodMonths) : null,
      ratingMethod: values.ratingMethod,
      startDate: values.startDate || undefined,
      endDate: blankToNull(values.endDate),
      discountPercent: blankToNull(values.discountPercent),
      discountStart: blankToNull(values.discountStart),
      discountEnd: blankToNull(values.discountEnd),
      status: values.status,
      latitude: typeof values.latitude === 'number' ? values.latitude : null,
      longitude: typeof values.longitude === 'number' ? values.longitude : null,
      ...(pkgId !== null ? { profileAnswers: questions.map((q) => ({ questionId: q.id, answer: values.answers[String(q.id)] ?? '' })) } : {}),
      ...tariff,
    };
    let saved: Service | undefined;
    if (service) {
      const input = { id: service.id, ...editable };
      saved = await run('services.update', input);
    } else {
      const input = {
        subscriptionId: subscription.id,
        accountPackageId: idOrNull(values.accountPackageId),
        packageProductId: idOrNull(values.packageProductId),
        planId: idOrNull(values.planId) ?? undefined,
        ...editable,
      };
      saved = await run('services.create', input);
    }
    if (!saved) return;
    await queryClient.invalidateQueries();
    notifications.show({
      color: 'green',
      title: service ? 'Service saved' : 'Service added',
      message: `${saved.description} · ${money.format(saved.priceCents)}${saved.ipv4Address ? ` · ${saved.ipv4Address}` : ''}`,
      withBorder: true,
    });
    if (!service && next.current === 'new') {
      const fresh = valuesOf(undefined, money);
      form.setValues(fresh);
      form.resetDirty(fresh);
      form.clearErrors();
      planRef.current?.focus();
      return;
    }
    onClose();
  });

  const subscriptionPassword = subscription.servicePassword;
  const passwordHint = v.password
    ? "This service's own password; the subscription's does not apply."
    : subscriptionPassword
      ? "Blank: the subscription's service password applies."
      : 'Blank, and the subscription has no service password: none applies.';

  const productOptions = (pkg.data?.products ?? []).map((p) => ({ value: String(p.id), label: `${p.name}${p.planName ? ` (${p.planName})` : ''}` }));

  return (
    <form onSubmit={submit} noValidate data-testid="service-form">
      <Stack gap="sm">
        <FormAlert message={formError} onClose={clearFormError} />
        {!service && (accountPackages.data?.length ?? 0) > 0 && (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <Select
              label="Account package"
              placeholder="None: a service of its own"
              data={(accountPackages.data ?? []).map((a) => ({ value: String(a.id), label: `${a.packageName} from ${a.startDate}` }))}
              clearable
              {...form.getInputProps('accountPackageId')}
              onChange={(id) => {
                form.setFieldValue('accountPackageId', id);
                form.setFieldValue('packageProductId', null);
              }}
            />
            <Select
              label="Package product"
              placeholder={v.accountPackageId ? 'Choose the product this service provides' : 'Choose an account package first'}
              data={productOptions}
              disabled={!v.accountPackageId}
              clearable
              {...form.getInputProps('packageProductId')}
              onChange={(id) => {
                form.setFieldValue('packageProductId', id);
                const product = pkg.data?.products.find((p) => String(p.id) === id);
                if (product?.planId) form.setFieldValue('planId', String(product.planId));
              }}
            />
          </SimpleGrid>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
          <Select
            ref={planRef}
            label="Plan"
            withAsterisk
            data-autofocus
            searchable
            placeholder={plans.isLoading ? 'Loading plans…' : 'Choose a plan'}
            nothingFoundMessage="No active plan matches"
            data={planOptions}
            disabled={Boolean(service)}
            description={service ? 'To move to another plan, use "Change plan now" or schedule a change.' : undefined}
            {...form.getInputProps('planId')}
          />
          <TextInput label="Description" placeholder={plan ? `Blank: ${plan.name}` : 'Blank: the plan name'} {...form.getInputProps('description')} />
        </SimpleGrid>
        {plan && (
          <Text size="sm" c="dimmed" data-testid="plan-facts">
            {plan.kind}
            {internet && plan.downloadKbps !== null ? ` · ${formatSpeeds(plan.downloadKbps, plan.uploadKbps)}` : ''}
            {plan.qosMode ? ` · QoS ${plan.qosMode}` : ''} · plan price {money.format(plan.priceCents)} {payPeriodLabel(plan.payPeriodMonths).toLowerCase()}
          </Text>
        )}
        <Paper withBorder p="sm" radius="md">
          <Stack gap="sm">
            <Text fw={600} size="sm" c="dimmed" tt="uppercase" lts={0.4}>
              Price and period
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" verticalSpacing="sm" style={{ alignItems: 'end' }}>
              <Stack gap={4}>
                <Switch
                  label="Own price"
                  description={plan ? `Off: the plan's ${money.format(plan.priceCents)} applies and follows the plan` : "Off: the plan's price applies"}
                  {...form.getInputProps('ownPrice', { type: 'checkbox' })}
                />
                {v.ownPrice && (
                  <TextInput label="Price" placeholder={plan ? money.toText(plan.priceCents) : '0.00'} leftSection={<Text size="xs">{money.currency}</Text>} {...form.getInputProps('priceCents')} />
                )}
              </Stack>
              <TextInput label="Quantity" {...form.getInputProps('quantity')} />
              <TextInput label="Unit" placeholder="e.g. month, line, GB" {...form.getInputProps('unit')} />
              <Select
                label="Pay period"
                placeholder={plan ? `The plan's: ${payPeriodLabel(plan.payPeriodMonths).toLowerCase()}` : "The plan's"}
                data={PAY_PERIODS.map((m) => ({ value: String(m), label: payPeriodLabel(m) }))}
                clearable
                {...form.getInputProps('payPeriodMonths')}
              />
              <Select label="Rating" data={RATING_METHODS.map((r) => ({ value: r, label: r === 'prepaid-usage' ? 'prepaid usage' : r }))} allowDeselect={false} {...form.getInputProps('ratingMethod')} />
              <Select label="Status" data={[...SERVICE_STATUSES]} allowDeselect={false} {...form.getInputProps('status')} />
              <TextInput type="date" label="Start date" withAsterisk {...form.getInputProps('startDate')} />
              <TextInput type="date" label="End date" {...form.getInputProps('endDate')} />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" verticalSpacing="sm" style={{ alignItems: 'end' }}>
              <TextInput label="Discount (%)" placeholder="e.g. 10" {...form.getInputProps('discountPercent')} />
              <TextInput type="date" label="Discount start" {...form.getInputProps('discountStart')} />
              <TextInput type="date" label="Discount end" {...form.getInputProps('discountEnd')} />
            </SimpleGrid>
            <Text size="xs" c="dimmed">
              A blank end date runs indefinitely. An end date is the last day of service: days already billed after it are
              taken off an open invoice, or credited with a credit memo once invoiced. A discount's end date is its last
              discounted day.
            </Text>
          </Stack>
        </Paper>
        {internet && (
          <Paper withBorder p="sm" radius="md" data-testid="tariff-options">
            <Stack gap="sm">
              <Text fw={600} size="sm" c="dimmed" tt="uppercase" lts={0.4}>
                Tariff options
              </Text>
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" verticalSpacing="sm" style={{ alignItems: 'start' }}>
                <Select
                  label="Router"
                  placeholder={routers.isLoading ? 'Loading…' : 'None'}
                  data={(routers.data ?? []).map((r) => ({ value: String(r.id), label: `${r.name} (${r.address})` }))}
                  clearable
                  searchable
                  {...form.getInputProps('routerId')}
                />
                <TextInput label="Login" placeholder="PPPoE / hotspot login" autoComplete="off" {...form.getInputProps('login')} />
                <PasswordInput label="Password" autoComplete="new-password" description={passwordHint} inputWrapperOrder={['label', 'input', 'description', 'error']} {...form.getInputProps('password')} />
              </SimpleGrid>
              <Stack gap={2}>
                <Text size="sm" fw={500}>
                  IPv4 assignment
                </Text>
                <SegmentedControl
                  aria-label="IPv4 assignment"
                  data={[
                    { value: 'none', label: 'None (router assigns)' },
                    { value: 'permanent', label: 'Permanent' },
                    { value: 'dynamic', label: 'Dynamic (pool)' },
                  ]}
                  value={v.ipv4Assignment}
                  onChange={(a) => form.setFieldValue('ipv4Assignment', a as Assignment)}
                />
                {form.errors.ipv4Assignment && (
                  <Text size="xs" c="red">
                    {form.errors.ipv4Assignment}
                  </Text>
                )}
              </Stack>
              {v.ipv4Assignment === 'permanent' && (
                <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm" style={{ alignItems: 'end' }}>
                  <Select
                    label="Network"
                    description="Picks its lowest free address"
                    placeholder={permanentNetworks.data?.rows.length === 0 ? 'No permanent network yet' : 'Choose a permanent network'}
                    data={(permanentNetworks.data?.rows ?? []).map((n) => ({
                      value: String(n.id),
                      label: `${n.cidr}${n.description ? ` · ${n.description}` : ''} (${n.utilization.free} free)`,
                    }))}
                    clearable
                    {...form.getInputProps('addressNetworkId')}
                    onChange={(id) => {
                      form.setFieldValue('addressNetworkId', id);
                      form.setFieldValue('ipv4Address', '');
                    }}
                  />
                  <TextInput
                    label="IPv4 address"
                    withAsterisk
                    placeholder="e.g. 10.20.0.15"
                    description={v.addressNetworkId && nextFree.data && !nextFree.data.address ? 'This network has no free address left.' : undefined}
                    {...form.getInputProps('ipv4Address')}
                  />
                </SimpleGrid>
              )}
              {v.ipv4Assignment === 'dynamic' && (
                <Select
                  label="Pool"
                  data={[{ value: ANY_POOL, label: 'Any pool' }, ...(pools.data?.rows ?? []).map((n) => ({ value: String(n.id), label: `${n.cidr}${n.description ? ` · ${n.description}` : ''}` }))]}
                  allowDeselect={false}
                  {...form.getInputProps('poolNetworkId')}
                />
              )}
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" verticalSpacing="sm" style={{ alignItems: 'start' }}>
                <TextInput label="Additional routed network" placeholder="e.g. 203.0.113.0/29" {...form.getInputProps('routedNetwork')} />
                <TextInput label="MAC addresses" placeholder="AA:BB:CC:DD:EE:FF, …" description="Comma-separated; the first is used where only one fits" inputWrapperOrder={['label', 'input', 'description', 'error']} {...form.getInputProps('macAddresses')} />
                <TextInput label="Port ID" {...form.getInputProps('portId')} />
              </SimpleGrid>
            </Stack>
          </Paper>
        )}
        {pkg.data && pkg.data.questions.length > 0 && (
          <Paper withBorder p="sm" radius="md" data-testid="profile-answers">
            <Stack gap="sm">
              <Group gap="xs">
                <Text fw={600} size="sm" c="dimmed" tt="uppercase" lts={0.4}>
                  Profile
                </Text>
                <Badge variant="light" size="sm">
                  {pkg.data.name}
                </Badge>
              </Group>
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
                {pkg.data.questions.map((q) => {
                  const key = String(q.id);
                  const value = v.answers[key] ?? '';
                  const set = (answer: string) => form.setFieldValue('answers', { ...form.values.answers, [key]: answer });
                  if (q.kind === 'choice')
                    return <Select key={key} label={q.label} withAsterisk={q.required} data={q.choices} value={value || null} onChange={(c) => set(c ?? '')} clearable={!q.required} />;
                  if (q.kind === 'number')
                    return <NumberInput key={key} label={q.label} withAsterisk={q.required} value={value} onChange={(n) => set(String(n))} />;
                  return <TextInput key={key} label={q.label} withAsterisk={q.required} value={value} onChange={(e) => set(e.currentTarget.value)} />;
                })}
              </SimpleGrid>
              {form.errors.profileAnswers && (
                <Text size="xs" c="red" data-testid="profile-answers-error">
                  {form.errors.profileAnswers}
                </Text>
              )}
            </Stack>
          </Paper>
        )}
        <FormModalFooter onCancel={onClose} submitting={form.submitting} offerSaveAndNew={!service} onSaveChoice={(after) => (next.current = after)} />
      </Stack>
    </form>
  );
}
