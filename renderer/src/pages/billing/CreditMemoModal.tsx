import { Checkbox, Group, Loader, Modal, Select, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { OutputOf } from '../../../../shared/api/contract';
import { billingApi } from '../../../../shared/api/billing';
import { callApi, useApiQuery } from '../../api/hooks';
import { FormAlert } from '../../components/FormAlert';
import { LoadError } from '../../components/LoadError';
import type { Money } from '../../lib/money';
import { useFormSubmit } from '../../lib/use-form-submit';
import { formatDay, todayIso } from './dates';
import { FormModalFooter } from '../../components/FormModalFooter';

type InvoiceSummary = OutputOf<'invoices.listBySubscription'>[number];
type Charge = OutputOf<'invoices.get'>['charges'][number];

interface Values extends Record<string, unknown> {
  invoiceId: string | null;
  reason: string;
  date: string;
  /** Per charge id: chosen, and the amount to credit (blank: all that is left). */
  picked: Record<string, boolean>;
  amounts: Record<string, string>;
}

const FIELDS = ['reason', 'date', 'lines'] as const;

/** What is left to credit on a charge, before tax (credited so far is zero or negative). */
function creditable(c: Charge): number {
  return c.amountCents + c.creditedCents;
}

/**
 * A credit memo reverses charges of a closed invoice, each in full or by an amount; the back end
 * credits the tax in proportion and gives the memo its own number.
 */
export function CreditMemoModal({ subscriptionId, closed, money, onClose }: { subscriptionId: number; closed: InvoiceSummary[]; money: Money; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<Values>({ initialValues: { invoiceId: closed[0] ? String(closed[0].id) : null, reason: '', date: todayIso(), picked: {}, amounts: {} } });
  const { formError, clearFormError, run } = useFormSubmit(form, FIELDS);
  const invoiceId = form.values.invoiceId ? Number(form.values.invoiceId) : null;
  const invoice = useApiQuery('invoices.get', { id: invoiceId ?? 0 }, { enabled: invoiceId !== null });
  const charges = invoice.data?.charges ?? [];

  const submit = form.onSubmit(async (v) => {
    const lines: { chargeId: number; amountCents?: number }[] = [];
    for (const c of charges) {
      if (!v.picked[c.id]) continue;
      const text = (v.amounts[c.id] ?? '').trim();
      if (!text) {
        lines.push({ chargeId: c.id });
        continue;
      }
      const parsed = money.parse(text);
      if (!parsed.ok) {
        form.setFieldError('lines', `${c.description}: ${parsed.message}`);
        return;
      }
      if (parsed.value <= 0 || parsed.value > creditable(c)) {
        form.setFieldError('lines', `${c.description}: credit more than zero and at most ${money.format(creditable(c))}`);
        return;
      }
      lines.push({ chargeId: c.id, amountCents: parsed.value });
    }
    const input = { subscriptionId, reason: v.reason, date: v.date, lines };
    const saved = await run('creditMemos.create', input);
    if (!saved) return;
    await queryClient.invalidateQueries();
    notifications.show({ color: 'green', title: 'Credit memo issued', message: `${saved.number} · ${money.format(saved.totalCents)}`, withBorder: true });
    onClose();
  });

  return (
    <Modal opened onClose={onClose} title="Issue credit memo" size="xl" centered data-testid="credit-memo-modal">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormAlert message={formError} onClose={clearFormError} />
          <Group grow align="flex-start">
            <Select
              label="Invoice"
              withAsterisk
              data={closed.map((i) => ({ value: String(i.id), label: `${i.number} · ${formatDay(i.issueDate)} · ${money.format(i.totalCents)}` }))}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
              {...form.getInputProps('invoiceId')}
              onChange={(value) => {
                form.setValues({ invoiceId: value, picked: {}, amounts: {} });
                form.clearFieldError('lines');
              }}
            />
            <TextInput type="date" label="Date" withAsterisk {...form.getInputProps('date')} />
          </Group>
          {invoiceId !== null && invoice.isLoading && <Loader size="sm" />}
          {invoice.error && <LoadError what="the invoice" error={invoice.error} />}
          {charges.length > 0 && (
            <Table verticalSpacing={4} data-testid="credit-charges">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={40} />
                  <Table.Th>Charge</Table.Th>
                  <Table.Th ta="right">Amount</Table.Th>
                  <Table.Th ta="right">Left to credit</Table.Th>
                  <Table.Th ta="right" w={170}>
                    Credit (before tax)
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {charges.map((c) => {
                  const left = creditable(c);
                  return (
                    <Table.Tr key={c.id} data-testid="credit-charge-row">
                      <Table.Td>
                        <Checkbox
                          aria-label={`Credit ${c.description}`}
                          disabled={left <= 0}
                          checked={!!form.values.picked[c.id]}
                          onChange={(e) => {
                            form.setFieldValue(`picked.${c.id}`, e.currentTarget.checked);
                            form.clearFieldError('lines');
                          }}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{c.description}</Text>
                        <Text size="xs" c="dimmed">
                          {c.explanation}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right" className="tabular">
                        {money.format(c.amountCents)}
                      </Table.Td>
                      <Table.Td ta="right" className="tabular">
                        {money.format(left)}
                      </Table.Td>
                      <Table.Td>
                        <TextInput
                          size="xs"
                          aria-label={`Amount to credit on ${c.description}`}
                          placeholder={left > 0 ? `All: ${money.toText(left)}` : 'Fully credited'}
                          disabled={!form.values.picked[c.id]}
                          value={form.values.amounts[c.id] ?? ''}
                          onChange={(e) => form.setFieldValue(`amounts.${c.id}`, e.currentTarget.value)}
                        />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          )}
          {form.errors.lines && (
            <Text size="xs" c="red" data-testid="credit-lines-error">
              {form.errors.lines}
            </Text>
          )}
          <Textarea label="Reason" withAsterisk description="Printed on the credit memo and the statement" autosize minRows={2} {...form.getInputProps('reason')} />
          <Text size="xs" c="dimmed">
            Leave the amount blank to credit all that is left of a charge. Tax is credited in proportion.
          </Text>
          <FormModalFooter onCancel={onClose} submitting={form.submitting} saveLabel="Issue credit memo" saveTestId="save-credit-memo" />
        </Stack>
      </form>
    </Modal>
  );
}
