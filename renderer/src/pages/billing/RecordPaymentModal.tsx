import { Modal, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { OutputOf } from '../../../../shared/api/contract';
import { PAYMENT_METHODS, PAYMENT_METHOD_LABELS, billingApi } from '../../../../shared/api/billing';
import { callApi } from '../../api/hooks';
import { FormAlert } from '../../components/FormAlert';
import type { Money } from '../../lib/money';
import { useFormSubmit } from '../../lib/use-form-submit';
import { formatDay, todayIso } from './dates';
import { FormModalFooter } from '../../components/FormModalFooter';

type InvoiceSummary = OutputOf<'invoices.listBySubscription'>[number];
type Method = (typeof PAYMENT_METHODS)[number];

interface Values extends Record<string, unknown> {
  method: Method;
  receivedDate: string;
  reference: string;
  amountCents: string;
  notes: string;
  chooseAllocation: boolean;
  /** Typed amount per unpaid invoice id, when staff choose the allocation. */
  allocations: Record<string, string>;
}

const FIELDS = ['method', 'receivedDate', 'reference', 'amountCents', 'notes', 'allocations'] as const;

/**
 * Money received: by default the back end allocates it oldest-due first and keeps any excess as
 * account credit; staff may instead say which invoices it pays, and how much of each.
 */
export function RecordPaymentModal({ subscriptionId, unpaid, money, onClose }: { subscriptionId: number; unpaid: InvoiceSummary[]; money: Money; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<Values>({
    initialValues: { method: 'cash', receivedDate: todayIso(), reference: '', amountCents: '', notes: '', chooseAllocation: false, allocations: {} },
  });
  const { formError, clearFormError, run } = useFormSubmit(form, FIELDS);

  const submit = form.onSubmit(async (v) => {
    if (v.amountCents.trim() === '') {
      form.setFieldError('amountCents', 'Enter the amount received');
      return;
    }
    const amount = money.parse(v.amountCents);
    if (!amount.ok) {
      form.setFieldError('amountCents', amount.message);
      return;
    }
    let allocations: { invoiceId: number; amountCents: number }[] | undefined;
    if (v.chooseAllocation) {
      allocations = [];
      for (const inv of unpaid) {
        const text = (v.allocations[inv.id] ?? '').trim();
        if (!text) continue;
        const parsed = money.parse(text);
        if (!parsed.ok) {
          form.setFieldError('allocations', `${inv.number}: ${parsed.message}`);
          return;
        }
        allocations.push({ invoiceId: inv.id, amountCents: parsed.value });
      }
      if (allocations.length === 0) {
        form.setFieldError('allocations', 'Enter an amount for at least one invoice, or let the payment pay the oldest first');
        return;
      }
    }
    const input = {
      subscriptionId,
      method: v.method,
      receivedDate: v.receivedDate,
      amountCents: amount.value,
      reference: v.reference,
      notes: v.notes,
      allocations,
    };
    const saved = await run('payments.record', input);
    if (!saved) return;
    await queryClient.invalidateQueries();
    const credit = saved.unallocatedCents > 0 ? `; ${money.format(saved.unallocatedCents)} kept as account credit` : '';
    notifications.show({ color: 'green', title: 'Payment recorded', message: `${saved.number} · ${money.format(saved.amountCents)}${credit}`, withBorder: true });
    onClose();
  });

  return (
    <Modal opened onClose={onClose} title="Record payment" size="lg" centered data-testid="record-payment-modal">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormAlert message={formError} onClose={clearFormError} />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
            <TextInput label="Amount" withAsterisk placeholder="0.00" leftSection={<Text size="xs">{money.currency}</Text>} leftSectionWidth={44} data-autofocus {...form.getInputProps('amountCents')} />
            <Select<Method>
              label="Method"
              withAsterisk
              data={PAYMENT_METHODS.map((m) => ({ value: m, label: PAYMENT_METHOD_LABELS[m] }))}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
              {...form.getInputProps('method')}
            />
            <TextInput type="date" label="Received" withAsterisk {...form.getInputProps('receivedDate')} />
            <TextInput label="Reference" description="Cheque number, transfer reference, last card digits" {...form.getInputProps('reference')} />
          </SimpleGrid>
          <Textarea label="Notes" autosize minRows={1} maxRows={4} {...form.getInputProps('notes')} />
          <Switch
            label="Choose the invoices it pays"
            description={unpaid.length === 0 ? 'No invoice is unpaid: the payment becomes account credit' : 'Otherwise it pays the oldest due first; any excess becomes account credit'}
            disabled={unpaid.length === 0}
            {...form.getInputProps('chooseAllocation', { type: 'checkbox' })}
          />
          {form.values.chooseAllocation && (
            <Table verticalSpacing={4} data-testid="allocation-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Invoice</Table.Th>
                  <Table.Th>Due</Table.Th>
                  <Table.Th ta="right">Open balance</Table.Th>
                  <Table.Th ta="right" w={160}>
                    Pay
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {unpaid.map((inv) => (
                  <Table.Tr key={inv.id}>
                    <Table.Td>{inv.number}</Table.Td>
                    <Table.Td>{formatDay(inv.dueDate)}</Table.Td>
                    <Table.Td ta="right" className="tabular">
                      {money.format(inv.openBalanceCents)}
                    </Table.Td>
                    <Table.Td>
                      <TextInput
                        size="xs"
                        aria-label={`Pay on ${inv.number}`}
                        placeholder={money.toText(inv.openBalanceCents)}
                        value={form.values.allocations[inv.id] ?? ''}
                        onChange={(e) => {
                          form.setFieldValue(`allocations.${inv.id}`, e.currentTarget.value);
                          form.clearFieldError('allocations');
                        }}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {form.errors.allocations && (
            <Text size="xs" c="red" data-testid="allocation-error">
              {form.errors.allocations}
            </Text>
          )}
          <FormModalFooter onCancel={onClose} submitting={form.submitting} saveLabel="Record payment" saveTestId="save-payment" />
        </Stack>
      </form>
    </Modal>
  );
}
