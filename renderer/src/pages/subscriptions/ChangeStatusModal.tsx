import { Alert, Button, Checkbox, Group, List, Modal, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { OutputOf } from '../../../../shared/api/contract';
import { subscribersApi } from '../../../../shared/api/subscribers';
import { type SubscriptionStatus, allowedTargets, checkTransition, isClosed, reasonRequired } from '../../../../shared/domain/subscription-status';
import { callApi, useApiQuery } from '../../api/hooks';
import { formatDate } from '../../lib/format';
import { useMoney } from '../../lib/money';
import { FormAlert } from '../../components/FormAlert';
import { StatusBadge } from '../../components/StatusBadge';
import { useFormSubmit } from '../../lib/use-form-submit';

type Subscription = OutputOf<'subscriptions.get'>;

interface Values extends Record<string, unknown> {
  status: SubscriptionStatus | null;
  reason: string;
  reopen: boolean;
  waive: boolean;
  waiveFeeReason: string;
}

const FIELDS = ['status', 'reason', 'reopen', 'waiveFeeReason'] as const;

/** What a move means, in one line: the user sees the consequence before choosing it. */
const EFFECT: Record<SubscriptionStatus, string> = {
  Active: 'In use.',
  Inactive: 'Switched off for now; its active services are stopped until it is Active again.',
  Suspended: 'Service withheld for a while, typically for non-payment.',
  Cancelled: 'Ended by either side. A closed state.',
  Completed: 'Closed normally. A closed state.',
};

/**
 * Offers only the moves the shared transition rules allow from the current status, asks for a
 * reason where they require one, and checks the move with the same rules before sending it.
 */
export function ChangeStatusModal({ subscription, opened, onClose }: { subscription: Subscription; opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const from = subscription.status;
  const form = useForm<Values>({ initialValues: { status: null, reason: '', reopen: false, waive: false, waiveFeeReason: '' } });
  const { formError, clearFormError, run } = useFormSubmit(form, FIELDS);
  const target = form.values.status;
  const needsReason = target !== null && reasonRequired(from, target);
  const reopening = isClosed(from);
  // Cancelling in a contract's term charges its early-cancellation fee: shown before confirming.
  const contracts = useApiQuery('contracts.ofSubscription', { subscriptionId: subscription.id }, { enabled: opened && target === 'Cancelled' });
  const fees = target === 'Cancelled' ? (contracts.data ?? []).filter((c) => c.feeTodayCents > 0) : [];
  const { money } = useMoney();
  const $ = (c: number) => (money ? money.format(c) : String(c));

  const close = () => {
    form.reset();
    clearFormError();
    onClose();
  };

  const submit = form.onSubmit(async (values) => {
    if (values.status === null) {
      form.setFieldError('status', 'Choose the new status');
      return;
    }
    const verdict = checkTransition({ from, to: values.status, reason: values.reason, reopen: values.reopen });
    if (!verdict.allowed) {
      form.setFieldError(verdict.field, verdict.message);
      return;
    }
    if (fees.length > 0 && values.waive && values.waiveFeeReason.trim() === '') {
      form.setFieldError('waiveFeeReason', 'Say why the fee is waived');
      return;
    }
    const input = { id: subscription.id, status: values.status, reason: values.reason, reopen: values.reopen, waiveFeeReason: fees.length > 0 && values.waive ? values.waiveFeeReason : null };
    const saved = await run('subscriptions.setStatus', input);
    if (!saved) return;
    await queryClient.invalidateQueries();
    notifications.show({ color: 'green', title: 'Status changed', message: `${saved.uniqueId} is now ${saved.status}.`, withBorder: true });
    close();
  });

  return (
    <Modal opened={opened} onClose={close} title="Change status" centered size="md" data-testid="change-status-modal">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormAlert message={formError} onClose={clearFormError} />
          <Group gap="xs">
            <Text size="sm">
              {subscription.uniqueId} is now
            </Text>
            <StatusBadge status={from} />
          </Group>
          <Select<SubscriptionStatus>
            label="New status"
            placeholder="Choose"
            withAsterisk
            data={allowedTargets(from).map((s) => ({ value: s, label: s }))}
            description={target ? EFFECT[target] : undefined}
            data-autofocus
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('status')}
          />
          <Textarea
            label="Reason"
            placeholder={needsReason ? 'Required for this change' : 'Optional'}
            withAsterisk={needsReason}
            autosize
            minRows={2}
            maxRows={5}
            {...form.getInputProps('reason')}
          />
          {fees.length > 0 && (
            <Alert color="orange" title="Early-cancellation fee" data-testid="cancel-contract-fees">
              <Stack gap="xs">
                <List size="sm">
                  {fees.map((c) => (
                    <List.Item key={c.accountPackageId}>
                      {c.contractName} on {c.packageName} (free from {formatDate(c.termEndDate)}): cancelling today charges <b>{$(c.feeTodayCents)}</b>
                    </List.Item>
                  ))}
                </List>
                <Checkbox label="Waive the fee" {...form.getInputProps('waive', { type: 'checkbox' })} data-testid="cancel-waive" />
                {form.values.waive && <TextInput label="Reason for waiving" withAsterisk {...form.getInputProps('waiveFeeReason')} data-testid="cancel-waive-reason" />}
              </Stack>
            </Alert>
          )}
          {reopening && (
            <Checkbox label={`Reopen this ${from.toLowerCase()} subscription`} {...form.getInputProps('reopen', { type: 'checkbox' })} />
          )}
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              Change status
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
