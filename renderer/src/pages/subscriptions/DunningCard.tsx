import { ActionIcon, Alert, Badge, Button, Group, Loader, Modal, Paper, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconPlayerPause, IconPlayerPlay, IconPrinter, IconShieldCheck, IconX } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { OutputOf } from '../../../../shared/api/contract';
import { callApi, useApiQuery } from '../../api/hooks';
import { FormAlert } from '../../components/FormAlert';
import { LoadError } from '../../components/LoadError';
import { formatDate } from '../../lib/format';
import { useMoney } from '../../lib/money';
import { useFormSubmit } from '../../lib/use-form-submit';
import { todayIso } from '../billing/dates';
import { printRoutes } from '../billing/print';

type Subscription = OutputOf<'subscriptions.get'>;
type Status = OutputOf<'dunning.status'>;
type Stage = Status['stage'];

/** Stage names as staff say them. */
export const STAGE_LABEL: Record<Stage, string> = { none: 'None', notice: 'Notice', throttle: 'Throttled', suspended: 'Suspended' };
const STAGE_COLOR: Record<Stage, string> = { none: 'gray', notice: 'blue', throttle: 'orange', suspended: 'red' };
const NEXT_LABEL: Record<Stage, string> = { none: '', notice: 'Notice', throttle: 'Throttle', suspended: 'Suspension' };

/** The exemption in force today, the one ending last when several overlap. */
export function exemptionInForce(status: Pick<Status, 'exemptions'>, today: string): Status['exemptions'][number] | null {
  const current = status.exemptions.filter((e) => e.from <= today && today <= e.until);
  return current.reduce<Status['exemptions'][number] | null>((best, e) => (!best || e.until > best.until ? e : best), null);
}

/**
 * Where the subscription stands in dunning (suspension for non-payment): its stage and since when,
 * what is overdue, the next step and its day, or the exemption holding it; exemptions, hand
 * suspension and reactivation, and its notices to print.
 */
export function DunningCard({ subscription }: { subscription: Subscription }) {
  const status = useApiQuery('dunning.status', { subscriptionId: subscription.id });
  const settings = useApiQuery('dunning.settings', {});
  const { money } = useMoney();
  const [dialog, setDialog] = useState<'exempt' | 'suspend' | 'reactivate' | null>(null);
  const today = todayIso();

  if (status.error) return <LoadError what="dunning" error={status.error} onRetry={() => status.refetch()} />;
  if (!status.data || !money) return <Loader size="sm" />;
  const s = status.data;
  const exemption = exemptionInForce(s, today);
  const closed = subscription.status === 'Cancelled' || subscription.status === 'Completed';

  return (
    <Paper withBorder radius="md" p="md" data-testid="dunning-card">
      <Group justify="space-between" mb="sm" wrap="wrap" gap="xs">
        <Group gap="xs">
          <IconAlertTriangle size={18} />
          <Text fw={600}>Dunning</Text>
          {settings.data && !settings.data.enabled && (
            <Badge variant="light" color="gray" title="Billing › Dunning: the daily job is off; stages move only when run by hand">
              Daily job off
            </Badge>
          )}
        </Group>
        {!closed && (
          <Group gap="xs">
            <Button size="xs" variant="light" leftSection={<IconShieldCheck size={14} />} onClick={() => setDialog('exempt')} data-testid="dunning-exempt">
              Exempt from dunning
            </Button>
            {subscription.status === 'Suspended' ? (
              <Button size="xs" variant="light" color="green" leftSection={<IconPlayerPlay size={14} />} onClick={() => setDialog('reactivate')} data-testid="hand-reactivate">
                Reactivate
              </Button>
            ) : (
              <Button size="xs" variant="light" color="red" leftSection={<IconPlayerPause size={14} />} onClick={() => setDialog('suspend')} data-testid="hand-suspend">
                Suspend
              </Button>
            )}
          </Group>
        )}
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="lg" verticalSpacing="sm">
        <Item label="Stage">
          <Group gap={6} wrap="nowrap">
            <Badge variant={s.stage === 'none' ? 'light' : 'filled'} color={STAGE_COLOR[s.stage]} data-testid="dunning-stage">
              {s.suspendedByHand ? 'Suspended by hand' : STAGE_LABEL[s.stage]}
            </Badge>
            {s.since && <Text size="xs" c="dimmed">since {formatDate(s.since)}</Text>}
          </Group>
        </Item>
        <Item label="Overdue">
          <span className="tabular" data-testid="dunning-overdue">{s.stage === 'none' ? '—' : money.format(s.overdueCents)}</span>
          {s.invoiceNumbers.length > 0 && <Text size="xs" c="dimmed">{s.invoiceNumbers.join(', ')}</Text>}
        </Item>
        <Item label="Next step">
          <span data-testid="dunning-next">
            {s.suspendedByHand
              ? 'Reactivated only by hand'
              : s.next
                ? `${NEXT_LABEL[s.next.stage]} on ${formatDate(s.next.date)} if unpaid`
                : s.stage === 'suspended'
                  ? 'Reactivated when paid'
                  : 'None'}
          </span>
        </Item>
        <Item label="Exemption">
          <span data-testid="dunning-exemption">
            {exemption ? `Exempt until ${formatDate(exemption.until)} (${exemption.reason})` : 'None'}
          </span>
        </Item>
      </SimpleGrid>
      {s.exemptions.length > 0 && <Exemptions status={s} today={today} />}
      <Notices notices={s.notices} format={money.format} />
      <ExemptModal subscription={subscription} opened={dialog === 'exempt'} onClose={() => setDialog(null)} />
      <HandStatusModal subscription={subscription} status={s} action={dialog === 'suspend' || dialog === 'reactivate' ? dialog : null} onClose={() => setDialog(null)} />
    </Paper>
  );
}

function Item({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Stack gap={2} miw={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.4}>
        {label}
      </Text>
      <Text size="sm" fw={500} component="div">
        {children}
      </Text>
    </Stack>
  );
}

function Exemptions({ status, today }: { status: Status; today: string }) {
  const queryClient = useQueryClient();
  const [ending, setEnding] = useState<number | null>(null);
  const end = async (id: number) => {
    setEnding(id);
    try {
      await callApi('dunning.removeExemption', { id });
      await queryClient.invalidateQueries();
      notifications.show({ color: 'green', title: 'Exemption ended', message: 'Dunning applies again from today.', withBorder: true });
    } catch (e) {
      notifications.show({ color: 'red', title: 'Exemption not ended', message: e instanceof Error ? e.message : String(e), withBorder: true });
    } finally {
      setEnding(null);
    }
  };
  return (
    <Stack gap={4} mt="md">
      <Text size="sm" fw={600}>
        Exemptions
      </Text>
      <Table verticalSpacing={4} data-testid="dunning-exemptions">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>From</Table.Th>
            <Table.Th>Until</Table.Th>
            <Table.Th>Reason</Table.Th>
            <Table.Th>By</Table.Th>
            <Table.Th w={60} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {status.exemptions.map((e) => (
            <Table.Tr key={e.id} data-testid="dunning-exemption-row">
              <Table.Td className="tabular">{formatDate(e.from)}</Table.Td>
              <Table.Td className="tabular">{formatDate(e.until)}</Table.Td>
              <Table.Td>{e.reason}</Table.Td>
              <Table.Td>{e.createdBy}</Table.Td>
              <Table.Td>
                <Tooltip label={e.from >= today ? 'Remove this exemption' : 'End this exemption today'}>
                  <ActionIcon variant="subtle" color="red" loading={ending === e.id} onClick={() => end(e.id)} aria-label={`End the exemption until ${e.until}`} data-testid="end-exemption">
                    <IconX size={16} />
                  </ActionIcon>
                </Tooltip>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function Notices({ notices, format }: { notices: Status['notices']; format: (c: number) => string }) {
  return (
    <Stack gap={4} mt="md">
      <Text size="sm" fw={600}>
        Notices
      </Text>
      {notices.length === 0 ? (
        <Text size="sm" c="dimmed">
          No notice sent. The notice stage (Billing › Dunning) records one when it applies.
        </Text>
      ) : (
        <Table verticalSpacing={4} data-testid="dunning-notices">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Date</Table.Th>
              <Table.Th ta="right">Overdue</Table.Th>
              <Table.Th>Invoices</Table.Th>
              <Table.Th w={60} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {notices.map((n) => (
              <Table.Tr key={n.id} data-testid="dunning-notice-row">
                <Table.Td className="tabular">{formatDate(n.date)}</Table.Td>
                <Table.Td ta="right" className="tabular">
                  {format(n.overdueCents)}
                </Table.Td>
                <Table.Td>{n.invoiceNumbers.join(', ')}</Table.Td>
                <Table.Td>
                  <ActionIcon variant="subtle" color="gray" component={Link} to={printRoutes.notice(n.id)} aria-label={`Print the notice of ${n.date}`} data-testid="print-notice">
                    <IconPrinter size={16} />
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

interface ExemptValues extends Record<string, unknown> {
  until: string;
  reason: string;
}

function ExemptModal({ subscription, opened, onClose }: { subscription: Subscription; opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<ExemptValues>({ initialValues: { until: '', reason: '' } });
  const { formError, clearFormError, run } = useFormSubmit(form, ['until', 'reason']);
  const close = () => {
    form.reset();
    clearFormError();
    onClose();
  };
  const submit = form.onSubmit(async (v) => {
    const saved = await run('dunning.exempt', { subscriptionId: subscription.id, until: v.until, reason: v.reason });
    if (!saved) return;
    await queryClient.invalidateQueries();
    notifications.show({ color: 'green', title: 'Exempt from dunning', message: `${subscription.uniqueId} until ${formatDate(saved.until)}.`, withBorder: true });
    close();
  });
  return (
    <Modal opened={opened} onClose={close} title="Exempt from dunning" centered data-testid="exempt-modal">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormAlert message={formError} onClose={clearFormError} />
          <Text size="sm">
            From today until the date below, dunning moves {subscription.uniqueId} to no harsher stage. A payment still brings it back at once.
          </Text>
          <TextInput type="date" label="Until" withAsterisk min={todayIso()} data-autofocus {...form.getInputProps('until')} data-testid="exempt-until" />
          <Textarea label="Reason" withAsterisk autosize minRows={2} maxRows={5} {...form.getInputProps('reason')} data-testid="exempt-reason" />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting} data-testid="exempt-submit">
              Exempt
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

interface HandValues extends Record<string, unknown> {
  reason: string;
}

/**
 * Suspend or reactivate by hand, through the subscription's own status change (history records
 * who and why). Dunning leaves a hand suspension alone: no payment lifts it.
 */
function HandStatusModal({ subscription, status, action, onClose }: { subscription: Subscription; status: Status; action: 'suspend' | 'reactivate' | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<HandValues>({ initialValues: { reason: '' } });
  const { formError, clearFormError, run } = useFormSubmit(form, ['reason', 'status']);
  const suspending = action === 'suspend';
  const close = () => {
    form.reset();
    clearFormError();
    onClose();
  };
  const submit = form.onSubmit(async (v) => {
    if (suspending && v.reason.trim() === '') {
      form.setFieldError('reason', 'Say why the subscription is suspended');
      return;
    }
    const saved = await run('subscriptions.setStatus', { id: subscription.id, status: suspending ? 'Suspended' : 'Active', reason: v.reason });
    if (!saved) return;
    await queryClient.invalidateQueries();
    notifications.show({ color: 'green', title: suspending ? 'Suspended' : 'Reactivated', message: `${saved.uniqueId} is now ${saved.status}.`, withBorder: true });
    close();
  });
  const overdue = status.stage !== 'none' || status.overdueCents > 0;
  return (
    <Modal opened={action !== null} onClose={close} title={suspending ? 'Suspend by hand' : 'Reactivate'} centered data-testid="hand-status-modal">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormAlert message={formError} onClose={clearFormError} />
          {suspending ? (
            <Alert color="orange" variant="light" data-testid="hand-suspend-warning">
              Service is withheld at once and the network follows. A payment will not reactivate a subscription suspended by hand: only Reactivate does.
            </Alert>
          ) : (
            <Text size="sm">
              {subscription.uniqueId} becomes Active and is served again.
              {!status.suspendedByHand && overdue ? ' While the overdue amount remains, dunning may suspend it again on its next cut-off day; exempt it to prevent that.' : ''}
            </Text>
          )}
          <Textarea
            label="Reason"
            withAsterisk={suspending}
            placeholder={suspending ? 'Required' : 'Optional'}
            autosize
            minRows={2}
            maxRows={5}
            data-autofocus
            {...form.getInputProps('reason')}
            data-testid="hand-reason"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" color={suspending ? 'red' : 'green'} loading={form.submitting} data-testid="hand-submit">
              {suspending ? 'Suspend' : 'Reactivate'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
