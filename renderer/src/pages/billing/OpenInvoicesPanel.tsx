import { Button, Group, Loader, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconLock } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { OutputOf } from '../../../../shared/api/contract';
import { callApi } from '../../api/hooks';
import { FormAlert } from '../../components/FormAlert';
import { LoadError } from '../../components/LoadError';
import { PagedTable } from '../../components/RecordTable';
import { formatDateTime, plural } from '../../lib/format';
import { useConfirmAction } from '../../lib/use-confirm-action';
import { usePagedList } from '../../lib/use-paged-list';
import { useMoney } from '../../lib/money';
import { ExportMenu } from '../io/ExportMenu';

type InvoiceRow = OutputOf<'invoices.listOpen'>['rows'][number];

/** Invoices still open (charges can change), across all subscriptions; closing issues them. */
export function OpenInvoicesPanel() {
  const navigate = useNavigate();
  const { money, error } = useMoney();
  const [confirming, setConfirming] = useState(false);
  const { list, paging } = usePagedList('invoices.listOpen', {}, 25);

  if (!money) return error ? <LoadError what="the currency" error={error} /> : <Loader />;
  const total = list.data?.total ?? 0;

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed" data-testid="open-invoice-count">
          {list.data ? `${plural(total, 'draft invoice')}. Charges on them are not owed until the invoice is issued.` : ' '}
        </Text>
        <Group gap="xs">
          <ExportMenu list="invoices" filter={{ status: 'open' }} also={[{ list: 'payments', label: 'All payments' }]} />
          <Button leftSection={<IconLock size={16} />} disabled={total === 0} onClick={() => setConfirming(true)} data-testid="close-all-open">
            Issue all draft invoices
          </Button>
        </Group>
      </Group>
      <PagedTable<InvoiceRow>
        what="draft invoices"
        list={list}
        paging={paging}
        noRecordsText="No draft invoice. A billing run puts new charges on draft invoices."
        onRowClick={(record) => navigate(`/subscriptions/${record.subscriptionId}/billing`)}
        rowAttributes={(r) => ({ 'data-testid': 'open-invoice-row', 'data-invoice-id': r.id })}
        columns={[
          { accessor: 'uniqueId', title: 'Unique ID', width: 120, cellsClassName: 'tabular' },
          { accessor: 'subscriptionName', title: 'Subscription', ellipsis: true },
          { accessor: 'createdAt', title: 'Opened', width: 190, render: (r) => formatDateTime(r.createdAt) },
          { accessor: 'subtotalCents', title: 'Subtotal', textAlign: 'right', cellsClassName: 'tabular', render: (r) => money.format(r.subtotalCents) },
          { accessor: 'taxCents', title: 'Tax', textAlign: 'right', cellsClassName: 'tabular', render: (r) => money.format(r.taxCents) },
          { accessor: 'totalCents', title: 'Total', textAlign: 'right', cellsClassName: 'tabular', render: (r) => money.format(r.totalCents) },
        ]}
      />
      <CloseAllModal opened={confirming} count={total} onClose={() => setConfirming(false)} />
    </Stack>
  );
}

function CloseAllModal({ opened, count, onClose }: { opened: boolean; count: number; onClose: () => void }) {
  const queryClient = useQueryClient();
  const { busy, error, close, run } = useConfirmAction(onClose, 'Something went wrong; no invoice was issued.');
  const confirm = () =>
    run(async () => {
      const { closed } = await callApi('invoices.closeAllOpen', {});
      await queryClient.invalidateQueries();
      notifications.show({ color: 'green', title: 'Invoices issued', message: `${plural(closed, 'invoice')} numbered and issued.`, withBorder: true });
    });
  return (
    <Modal opened={opened} onClose={close} title="Issue all draft invoices" centered data-testid="close-all-modal">
      <Stack>
        <FormAlert message={error} />
        <Text size="sm">
          Issue {plural(count, 'draft invoice')} with charges? Each gets the next invoice number and a due date from the payment terms, and can no longer change. Mistakes are then corrected with a credit memo.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button loading={busy} onClick={confirm} data-testid="confirm-close-all" data-autofocus>
            Issue invoices
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
