import { Badge, Group, Loader, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import type { OutputOf } from '../../../../shared/api/contract';
import { useApiQuery } from '../../api/hooks';
import { LoadError } from '../../components/LoadError';
import type { Money } from '../../lib/money';
import { formatDay } from './dates';

type Invoice = OutputOf<'invoices.get'>;

/**
 * One vocabulary for invoices everywhere: a Draft (charges may still change, nothing owed yet) is
 * Issued (numbered, final, owed by its due date); an issued invoice's payment state is Paid, Partly
 * paid, Overdue or Due.
 */
export type InvoiceState = 'draft' | 'paid' | 'partly-paid' | 'overdue' | 'due';

export function invoiceState(invoice: Pick<Invoice, 'status' | 'openBalanceCents' | 'totalCents' | 'dueDate'>, today: string): InvoiceState {
  if (invoice.status === 'open') return 'draft';
  if (invoice.openBalanceCents <= 0) return 'paid';
  if (invoice.dueDate && invoice.dueDate < today) return 'overdue';
  return invoice.openBalanceCents < invoice.totalCents ? 'partly-paid' : 'due';
}

const LOOK: Record<InvoiceState, [string, string]> = {
  draft: ['blue', 'Draft'],
  paid: ['green', 'Paid'],
  'partly-paid': ['yellow', 'Partly paid'],
  overdue: ['red', 'Overdue'],
  due: ['gray', 'Due'],
};

export function InvoiceStatusBadge({ invoice, today }: { invoice: Pick<Invoice, 'status' | 'openBalanceCents' | 'totalCents' | 'dueDate'>; today: string }) {
  const state = invoiceState(invoice, today);
  const [color, label] = LOOK[state];
  return (
    <Badge color={color} variant="light" radius="sm" data-testid="invoice-status" data-status={state}>
      {label}
    </Badge>
  );
}

/** One invoice's charges (each with how its amount came about), taxes per rate and payments. */
export function InvoiceDetail({ invoiceId, money }: { invoiceId: number; money: Money }) {
  const invoice = useApiQuery('invoices.get', { id: invoiceId });
  if (invoice.isLoading) return <Loader size="sm" m="sm" />;
  if (!invoice.data) return <LoadError what="the invoice" error={invoice.error} onRetry={() => invoice.refetch()} />;
  const inv = invoice.data;

  return (
    <Stack gap="sm" p="sm" data-testid="invoice-detail" bg="var(--mantine-color-default-hover)">
      <Table verticalSpacing={6} data-testid="invoice-charges">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Charge</Table.Th>
            <Table.Th>Period</Table.Th>
            <Table.Th ta="right">Qty</Table.Th>
            <Table.Th ta="right">Unit price</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
            <Table.Th ta="right">Tax</Table.Th>
            <Table.Th ta="right">Credited</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {inv.charges.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={7}>
                <Text size="sm" c="dimmed">
                  No charges.
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {inv.charges.map((c) => (
            <Table.Tr key={c.id} data-testid="charge-row">
              <Table.Td>
                <Text size="sm">{c.description}</Text>
                <Text size="xs" c="dimmed">
                  {c.explanation}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" className="tabular">
                  {c.periodStart ? (c.periodLast && c.periodLast !== c.periodStart ? `${formatDay(c.periodStart)} – ${formatDay(c.periodLast)}` : formatDay(c.periodStart)) : ''}
                </Text>
              </Table.Td>
              <Table.Td ta="right" className="tabular">
                {c.quantity}
              </Table.Td>
              <Table.Td ta="right" className="tabular">
                {money.format(c.unitPriceCents)}
              </Table.Td>
              <Table.Td ta="right" className="tabular">
                {money.format(c.amountCents)}
              </Table.Td>
              <Table.Td ta="right" className="tabular">
                {c.taxRatePercent ? `${money.format(c.taxCents)} (${c.taxRatePercent}%)` : '—'}
              </Table.Td>
              <Table.Td ta="right" className="tabular">
                {c.creditedCents ? money.format(c.creditedCents) : ''}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Stack gap={4}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Payments
          </Text>
          {inv.payments.length === 0 ? (
            <Text size="sm" c="dimmed">
              None yet.
            </Text>
          ) : (
            inv.payments.map((p) => (
              <Group key={p.paymentId} justify="space-between" maw={360}>
                <Text size="sm">
                  {p.number} · {formatDay(p.receivedDate)}
                </Text>
                <Text size="sm" className="tabular">
                  {money.format(p.amountCents)}
                </Text>
              </Group>
            ))
          )}
        </Stack>
        <Stack gap={2} data-testid="invoice-totals" ml="auto" miw={280}>
          <Line label="Subtotal" value={money.format(inv.subtotalCents)} />
          {inv.taxes.map((t) => (
            <Line key={t.ratePercent} label={`Tax ${t.ratePercent}% on ${money.format(t.taxableCents)}`} value={money.format(t.taxCents)} testId="tax-line" />
          ))}
          <Line label="Total" value={money.format(inv.totalCents)} strong />
          {inv.status === 'closed' && (
            <>
              {inv.creditedCents !== 0 && <Line label="Credited" value={money.format(-inv.creditedCents)} />}
              {inv.paidCents !== 0 && <Line label="Paid" value={money.format(-inv.paidCents)} />}
              <Line label={inv.dueDate ? `Open balance (due ${formatDay(inv.dueDate)})` : 'Open balance'} value={money.format(inv.openBalanceCents)} strong />
            </>
          )}
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}

function Line({ label, value, strong, testId }: { label: string; value: string; strong?: boolean; testId?: string }) {
  return (
    <Group justify="space-between" gap="xl" wrap="nowrap" data-testid={testId}>
      <Text size="sm" fw={strong ? 700 : undefined}>
        {label}
      </Text>
      <Text size="sm" fw={strong ? 700 : undefined} className="tabular">
        {value}
      </Text>
    </Group>
  );
}
