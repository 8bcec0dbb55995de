import { ActionIcon, Badge, Button, Group, Loader, Modal, Paper, SimpleGrid, Stack, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCash, IconLock, IconPrinter, IconReceiptRefund } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { OutputOf } from '../../../../../shared/api/contract';
import { PAYMENT_METHOD_LABELS } from '../../../../../shared/api/billing';
import { ApiError } from '../../../../../shared/api/errors';
import { callApi, useApiQuery } from '../../../api/hooks';
import { FormAlert } from '../../../components/FormAlert';
import { LoadError } from '../../../components/LoadError';
import { type Money, useMoney } from '../../../lib/money';
import { CreditMemoModal } from '../../billing/CreditMemoModal';
import { formatDay, isIsoDate, lastFullMonth, todayIso } from '../../billing/dates';
import { InvoiceDetail, InvoiceStatusBadge } from '../../billing/InvoiceDetail';
import { printRoutes } from '../../billing/print';
import { RecordPaymentModal } from '../../billing/RecordPaymentModal';
import { Stat } from '../../billing/Stat';
import { ExportMenu } from '../../io/ExportMenu';
import { ImportButton } from '../../io/ImportButton';

type InvoiceSummary = OutputOf<'invoices.listBySubscription'>[number];
type CreditMemo = OutputOf<'creditMemos.listBySubscription'>[number];
type Payment = OutputOf<'payments.listBySubscription'>[number];

/**
 * A subscription's money: what it owes, its invoices (open and closed, with their lines and taxes),
 * credit memos, payments and statements, and the actions staff take on the phone.
 */
export function BillingTab({ subscriptionId }: { subscriptionId: number }) {
  const { money, error } = useMoney();
  if (!money) return error ? <LoadError what="the currency" error={error} /> : <Loader />;
  return <BillingTabContent subscriptionId={subscriptionId} money={money} />;
}

function BillingTabContent({ subscriptionId, money }: { subscriptionId: number; money: Money }) {
  const balance = useApiQuery('billing.balance', { subscriptionId });
  const invoices = useApiQuery('invoices.listBySubscription', { subscriptionId });
  const memos = useApiQuery('creditMemos.listBySubscription', { subscriptionId });
  const payments = useApiQuery('payments.listBySubscription', { subscriptionId });
  const [dialog, setDialog] = useState<'payment' | 'credit' | null>(null);
  const [closing, setClosing] = useState<InvoiceSummary | null>(null);

  const all = invoices.data ?? [];
  const closed = all.filter((i) => i.status === 'closed');
  const unpaid = closed.filter((i) => i.openBalanceCents > 0).sort((a, b) => (a.dueDate ?? '').localeCompare(b.dueDate ?? '') || a.id - b.id);
  const b = balance.data;
  const today = todayIso();

  return (
    <Stack gap="md" data-testid="billing-tab">
      {balance.error && !b ? (
        <LoadError what="the balance" error={balance.error} onRetry={() => balance.refetch()} />
      ) : (
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          <Stat
            label={b && b.balanceCents < 0 ? 'Credit in their favour' : 'Balance owed'}
            value={b ? money.format(Math.abs(b.balanceCents)) : '…'}
            color={b && b.balanceCents > 0 ? 'red.8' : b && b.balanceCents < 0 ? 'green.8' : undefined}
            testId="billing-balance"
          />
          <Stat label="Overdue" value={b ? money.format(b.overdueCents) : '…'} color={b && b.overdueCents > 0 ? 'red.8' : undefined} hint="Past the due date" testId="billing-overdue" />
          <Stat label="On draft invoices" value={b ? money.format(b.unbilledCents) : '…'} hint="Not owed until the invoice is issued" testId="billing-unbilled" />
          <Stat label="Account credit" value={b ? money.format(b.unallocatedCents) : '…'} hint="Payments not yet allocated" testId="billing-credit" />
        </SimpleGrid>
      )}

      <Group gap="sm">
        <ImportButton kind="payments" />
        <ExportMenu list="payments" filter={{ subscriptionId }} />
        <Button leftSection={<IconCash size={16} />} onClick={() => setDialog('payment')} data-testid="record-payment">
          Record payment
        </Button>
        <Tooltip label="Only charges on closed invoices are credited" disabled={closed.length > 0}>
          <Button variant="light" leftSection={<IconReceiptRefund size={16} />} disabled={closed.length === 0} onClick={() => setDialog('credit')} data-testid="issue-credit-memo">
            Issue credit memo
          </Button>
        </Tooltip>
      </Group>

      <StatementBox subscriptionId={subscriptionId} money={money} />

      <Paper withBorder radius="md" p="md">
        <Title order={4} mb="sm">
          Invoices
        </Title>
        {invoices.error && !invoices.data ? (
          <LoadError what="invoices" error={invoices.error} onRetry={() => invoices.refetch()} />
        ) : (
          <DataTable<InvoiceSummary>
            withTableBorder
            borderRadius="md"
            striped
            highlightOnHover
            minHeight={all.length ? undefined : 150}
            verticalSpacing="xs"
            fetching={invoices.isLoading}
            records={all}
            noRecordsText="No invoice yet. A billing run puts this subscription's charges on a draft invoice."
            customRowAttributes={(r) => ({ 'data-testid': 'invoice-row', 'data-invoice-id': r.id, 'data-number': r.number ?? '' })}
            rowExpansion={{ allowMultiple: true, content: ({ record }) => <InvoiceDetail invoiceId={record.id} money={money} /> }}
            columns={[
              { accessor: 'number', title: 'Invoice', width: 130, render: (r) => r.number ?? <Text span c="dimmed" size="sm">Not issued</Text> },
              { accessor: 'status', title: 'Status', width: 110, render: (r) => <InvoiceStatusBadge invoice={r} today={today} /> },
              { accessor: 'issueDate', title: 'Issued', render: (r) => formatDay(r.issueDate) },
              { accessor: 'dueDate', title: 'Due', render: (r) => formatDay(r.dueDate) },
              { accessor: 'totalCents', title: 'Total', textAlign: 'right', cellsClassName: 'tabular', render: (r) => money.format(r.totalCents) },
              { accessor: 'paidCents', title: 'Paid', textAlign: 'right', cellsClassName: 'tabular', render: (r) => (r.paidCents ? money.format(r.paidCents) : '') },
              { accessor: 'creditedCents', title: 'Credited', textAlign: 'right', cellsClassName: 'tabular', render: (r) => (r.creditedCents ? money.format(r.creditedCents) : '') },
              {
                accessor: 'openBalanceCents',
                title: 'Open balance',
                textAlign: 'right',
                cellsClassName: 'tabular',
                render: (r) => (r.status === 'closed' ? <Text span size="sm" fw={r.openBalanceCents > 0 ? 600 : undefined}>{money.format(r.openBalanceCents)}</Text> : ''),
              },
              {
                accessor: 'actions',
                title: '',
                width: 96,
                render: (r) => (
                  <Group gap={4} justify="flex-end" wrap="nowrap" onClick={(e) => e.stopPropagation()}>
                    {r.status === 'open' && (
                      <Tooltip label="Issue invoice" openDelay={300}>
                        <ActionIcon variant="subtle" aria-label={`Issue invoice ${r.id}`} onClick={() => setClosing(r)} data-testid="close-invoice">
                          <IconLock size={16} />
                        </ActionIcon>
                      </Tooltip>
                    )}
                    <Tooltip label={r.status === 'open' ? 'Print draft' : 'Print or save PDF'} openDelay={300}>
                      <ActionIcon variant="subtle" color="gray" component={Link} to={printRoutes.invoice(r.id)} aria-label={`Print invoice ${r.number ?? r.id}`} data-testid="print-invoice">
                        <IconPrinter size={16} />
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                ),
              },
            ]}
          />
        )}
      </Paper>

      <Paper withBorder radius="md" p="md">
        <Title order={4} mb="sm">
          Payments
        </Title>
        {payments.error && !payments.data ? (
          <LoadError what="payments" error={payments.error} onRetry={() => payments.refetch()} />
        ) : (
          <DataTable<Payment>
            withTableBorder
            borderRadius="md"
            striped
            minHeight={payments.data?.length ? undefined : 150}
            verticalSpacing="xs"
            fetching={payments.isLoading}
            records={payments.data ?? []}
            noRecordsText="No payment recorded."
            customRowAttributes={(r) => ({ 'data-testid': 'payment-row', 'data-number': r.number })}
            columns={[
              { accessor: 'number', title: 'Payment', width: 130 },
              { accessor: 'receivedDate', title: 'Received', render: (r) => formatDay(r.receivedDate) },
              { accessor: 'method', title: 'Method', render: (r) => PAYMENT_METHOD_LABELS[r.method] },
              { accessor: 'reference', title: 'Reference', ellipsis: true, render: (r) => r.reference ?? '' },
              { accessor: 'allocations', title: 'Pays', render: (r) => r.allocations.map((a) => `${a.invoiceNumber} (${money.format(a.amountCents)})`).join(', ') },
              { accessor: 'amountCents', title: 'Amount', textAlign: 'right', cellsClassName: 'tabular', render: (r) => money.format(r.amountCents) },
              {
                accessor: 'unallocatedCents',
                title: 'Credit left',
                textAlign: 'right',
                cellsClassName: 'tabular',
                render: (r) => (r.unallocatedCents ? <Badge variant="light" color="green" radius="sm">{money.format(r.unallocatedCents)}</Badge> : ''),
              },
              { accessor: 'createdBy', title: 'By', ellipsis: true },
            ]}
          />
        )}
      </Paper>

      <Paper withBorder radius="md" p="md">
        <Title order={4} mb="sm">
          Credit memos
        </Title>
        {memos.error && !memos.data ? (
          <LoadError what="credit memos" error={memos.error} onRetry={() => memos.refetch()} />
        ) : (
          <DataTable<CreditMemo>
            withTableBorder
            borderRadius="md"
            striped
            minHeight={memos.data?.length ? undefined : 150}
            verticalSpacing="xs"
            fetching={memos.isLoading}
            records={memos.data ?? []}
            noRecordsText="No credit memo."
            customRowAttributes={(r) => ({ 'data-testid': 'credit-memo-row', 'data-number': r.number })}
            columns={[
              { accessor: 'number', title: 'Credit memo', width: 130 },
              { accessor: 'issueDate', title: 'Date', render: (r) => formatDay(r.issueDate) },
              { accessor: 'reason', title: 'Reason', ellipsis: true },
              { accessor: 'lines', title: 'Reverses', render: (r) => r.lines.map((l) => `${l.description} on ${l.invoiceNumber}`).join(', ') },
              { accessor: 'totalCents', title: 'Total', textAlign: 'right', cellsClassName: 'tabular', render: (r) => money.format(r.totalCents) },
              { accessor: 'createdBy', title: 'By', ellipsis: true },
            ]}
          />
        )}
      </Paper>

      {dialog === 'payment' && <RecordPaymentModal subscriptionId={subscriptionId} unpaid={unpaid} money={money} onClose={() => setDialog(null)} />}
      {dialog === 'credit' && <CreditMemoModal subscriptionId={subscriptionId} closed={closed} money={money} onClose={() => setDialog(null)} />}
      <CloseInvoiceModal invoice={closing} money={money} onClose={() => setClosing(null)} />
    </Stack>
  );
}

/** A statement for any period: its opening and closing balance here, the whole of it in the print view. */
function StatementBox({ subscriptionId, money }: { subscriptionId: number; money: Money }) {
  const lastMonth = lastFullMonth(todayIso());
  const [from, setFrom] = useState(lastMonth.from);
  const [to, setTo] = useState(lastMonth.to);
  const valid = isIsoDate(from) && isIsoDate(to) && from <= to;
  const statement = useApiQuery('statements.get', { subscriptionId, from, to }, { enabled: valid, keepPrevious: true });
  const st = statement.data;

  return (
    <Paper withBorder radius="md" p="md" data-testid="statement-box">
      <Group justify="space-between" align="flex-end" gap="md">
        <Group align="flex-end" gap="sm">
          <TextInput type="date" label="Statement from" value={from} onChange={(e) => setFrom(e.currentTarget.value)} w={170} />
          <TextInput type="date" label="to" value={to} onChange={(e) => setTo(e.currentTarget.value)} error={valid ? null : 'After the start'} w={170} />
        </Group>
        {st && valid && (
          <Group gap="xl">
            <Stack gap={0}>
              <Text size="xs" c="dimmed">
                Opening balance
              </Text>
              <Text fw={600} className="tabular" data-testid="statement-opening">
                {money.format(st.openingBalanceCents)}
              </Text>
            </Stack>
            <Stack gap={0}>
              <Text size="xs" c="dimmed">
                {st.rows.length === 1 ? '1 entry' : `${st.rows.length} entries`}
              </Text>
              <Text fw={600}>→</Text>
            </Stack>
            <Stack gap={0}>
              <Text size="xs" c="dimmed">
                Closing balance
              </Text>
              <Text fw={700} className="tabular" data-testid="statement-closing">
                {money.format(st.closingBalanceCents)}
              </Text>
            </Stack>
          </Group>
        )}
        <Button
          component={Link}
          to={valid ? printRoutes.statement(subscriptionId, from, to) : '#'}
          variant="light"
          leftSection={<IconPrinter size={16} />}
          disabled={!valid}
          data-testid="print-statement"
        >
          Print statement
        </Button>
      </Group>
    </Paper>
  );
}

function CloseInvoiceModal({ invoice, money, onClose }: { invoice: InvoiceSummary | null; money: Money; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    setError(null);
    onClose();
  };
  const confirm = async () => {
    if (!invoice) return;
    setBusy(true);
    setError(null);
    try {
      const closed = await callApi('invoices.close', { id: invoice.id });
      await queryClient.invalidateQueries();
      notifications.show({ color: 'green', title: 'Invoice issued', message: `${closed.number} · ${money.format(closed.totalCents)}, due ${formatDay(closed.dueDate)}`, withBorder: true });
      close();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Something went wrong; the invoice is still a draft.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={invoice !== null} onClose={close} title="Issue invoice" centered data-testid="close-invoice-modal">
      <Stack>
        <FormAlert message={error} />
        <Text size="sm">
          Issue this draft invoice of {invoice ? money.format(invoice.totalCents) : ''}? It gets the next invoice number and a due date from the payment terms, and can no longer change: later corrections are made with a credit memo.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button loading={busy} onClick={confirm} data-testid="confirm-close-invoice" data-autofocus>
            Issue invoice
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** The tab's icon, beside the other tabs' icons on the subscription page. */
export function BillingTabIcon() {
  return <IconCash size={16} />;
}
