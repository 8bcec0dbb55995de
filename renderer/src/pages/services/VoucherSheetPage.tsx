import { Alert, Button, Group, Loader, Text } from '@mantine/core';
import { IconArrowLeft, IconPrinter } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useApiQuery } from '../../api/hooks';
import { LoadError } from '../../components/LoadError';
import { formatDate } from '../../lib/format';
import { useMoney } from '../../lib/money';
import { hotspotLimits } from './HotspotModals';
import classes from './VoucherSheet.module.css';

/** What the desktop preload adds for printing (renderer/src/api/transport.ipc.ts has the rest of the bridge). */
interface PrintBridge {
  print(options: { pdf: boolean; title?: string }): Promise<{ ok: boolean; error?: { message: string } }>;
}

function printBridge(): PrintBridge | null {
  const candidate = (window as unknown as { towerline?: Partial<PrintBridge> }).towerline;
  return candidate && typeof candidate.print === 'function' ? (candidate as PrintBridge) : null;
}

/**
 * A voucher batch laid out as cards to cut: outside the app shell, so the sheet is all that prints.
 * The desktop app prints through its main process; a browser gets its own print dialog.
 */
export function VoucherSheetPage() {
  const { batchId = '' } = useParams<{ batchId: string }>();
  const batch = useApiQuery('vouchers.batch', { batchId });
  const settings = useApiQuery('billingSettings.get', {}, { staleTime: 5 * 60_000 });
  const { money } = useMoney();
  const [printError, setPrintError] = useState<string | null>(null);

  const print = async (pdf: boolean) => {
    setPrintError(null);
    const bridge = printBridge();
    if (!bridge) {
      window.print();
      return;
    }
    const result = await bridge.print({ pdf, title: `Vouchers ${batchId}` });
    if (!result.ok) setPrintError(result.error?.message ?? 'Printing did not finish.');
  };

  if (batch.isLoading) return <Loader m="xl" />;
  if (!batch.data) return <LoadError what="the voucher batch" error={batch.error} onRetry={() => batch.refetch()} />;
  const b = batch.data;

  return (
    <div className={classes.sheet} data-testid="voucher-sheet">
      <div className={classes.toolbar}>
        <Group justify="space-between" mb="md">
          <Button component={Link} to={`/subscriptions/${b.subscriptionId}/hotspot`} variant="subtle" leftSection={<IconArrowLeft size={16} />}>
            Back to {b.subscriptionName}
          </Button>
          <Group gap="xs">
            {printBridge() && (
              <Button variant="default" onClick={() => print(true)}>
                Save as PDF
              </Button>
            )}
            <Button leftSection={<IconPrinter size={16} />} onClick={() => print(false)} data-autofocus>
              Print
            </Button>
          </Group>
        </Group>
        {printError && (
          <Alert color="red" variant="light" title="Not printed" mb="md">
            {printError}
          </Alert>
        )}
        <Text size="sm" c="dimmed" mb="sm">
          {b.vouchers.length} vouchers · {b.hotspotPlanName} · {formatDate(b.createdAt)} · {b.subscriptionName}
        </Text>
      </div>
      <div className={classes.grid}>
        {b.vouchers.map((v) => (
          <div key={v.id} className={classes.card} data-testid="voucher-card">
            <Text size="xs" c="dimmed" fw={600} tt="uppercase">
              {settings.data?.ispName ?? ''} Wi-Fi
            </Text>
            <div className={classes.code}>{v.login}</div>
            {v.password && (
              <Text size="sm">
                Password: <span className={classes.code}>{v.password}</span>
              </Text>
            )}
            <Text size="xs">{v.hotspotPlanName}</Text>
            <Text size="xs" c="dimmed">
              {hotspotLimits(v)}
              {money ? ` · ${money.format(v.priceCents)}` : ''}
            </Text>
          </div>
        ))}
      </div>
    </div>
  );
}
