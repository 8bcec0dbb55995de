import { Button, Loader, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFileTypePdf, IconPrinter } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { useApiQuery } from '../../api/hooks';
import { LoadError } from '../../components/LoadError';
import { formatDate } from '../../lib/format';
import { useMoney } from '../../lib/money';
import { PrintShell } from '../billing/PrintViewPage';
import { canSavePdfDirectly, printThisPage } from '../billing/print';
import { hotspotLimits } from './HotspotModals';
import classes from './VoucherSheet.module.css';

/**
 * A voucher batch laid out as cards to cut, in the print view's frame (as invoices and statements):
 * its toolbar (Back, Print) never reaches the paper. Each card says which Wi-Fi to join and how to
 * log in, so a guest at the marina needs nobody to explain it.
 */
export function VoucherSheetPage() {
  const { batchId = '' } = useParams<{ batchId: string }>();
  const batch = useApiQuery('vouchers.batch', { batchId });
  const settings = useApiQuery('billingSettings.get', {}, { staleTime: 5 * 60_000 });
  const card = useApiQuery('hotspotSettings.get', {});
  const { money } = useMoney();
  const [busy, setBusy] = useState<'print' | 'pdf' | null>(null);
  const title = `Vouchers ${batchId}`;

  // The window's title names the saved file (Electron's save dialog, the browser's "Save as PDF").
  useEffect(() => {
    const before = document.title;
    document.title = title;
    return () => {
      document.title = before;
    };
  }, [title]);

  const print = async (pdf: boolean) => {
    setBusy(pdf ? 'pdf' : 'print');
    try {
      const outcome = await printThisPage({ pdf, title });
      if (outcome.kind === 'saved') notifications.show({ color: 'green', title: 'PDF saved', message: outcome.path, withBorder: true });
    } catch (e) {
      notifications.show({ color: 'red', title: 'Not printed', message: e instanceof Error ? e.message : 'Printing failed.', withBorder: true });
    } finally {
      setBusy(null);
    }
  };

  if (batch.isLoading) return <PrintShell><Loader m="xl" /></PrintShell>;
  if (!batch.data) return <PrintShell><LoadError what="the voucher batch" error={batch.error} onRetry={() => batch.refetch()} /></PrintShell>;
  const b = batch.data;
  const back = `/subscriptions/${b.subscriptionId}/hotspot`;
  const ssid = card.data?.ssid ?? null;
  const address = card.data?.loginAddress ?? null;
  const isp = settings.data?.ispName ?? '';

  return (
    <PrintShell
      title={`${b.vouchers.length} vouchers · ${b.hotspotPlanName} · ${formatDate(b.createdAt)} · ${b.subscriptionName}`}
      backTo={back}
      backLabel={`Back to ${b.subscriptionName}`}
      actions={
        <>
          <Button leftSection={<IconPrinter size={16} />} loading={busy === 'print'} onClick={() => print(false)} data-autofocus data-testid="print-button">
            {canSavePdfDirectly ? 'Print' : 'Print or save as PDF'}
          </Button>
          {canSavePdfDirectly && (
            <Button variant="light" leftSection={<IconFileTypePdf size={16} />} loading={busy === 'pdf'} onClick={() => print(true)}>
              Save as PDF
            </Button>
          )}
        </>
      }
    >
      <div className={classes.sheet} data-testid="voucher-sheet">
        <div className={classes.grid}>
          {b.vouchers.map((v) => (
            <div key={v.id} className={classes.card} data-testid="voucher-card">
              <Text size="xs" c="dimmed" fw={600} tt="uppercase">
                {isp} Wi-Fi
              </Text>
              <div className={classes.code}>{v.login}</div>
              {v.password && (
                <Text size="sm">
                  Password: <span className={classes.code}>{v.password}</span>
                </Text>
              )}
              <Text size="xs">
                {v.hotspotPlanName}
                {money ? ` · ${money.format(v.priceCents)}` : ''}
              </Text>
              <Text size="xs" c="dimmed">
                {hotspotLimits(v)}
              </Text>
              <ol className={classes.steps} data-testid="voucher-steps">
                <li>{ssid ? <>Join the Wi-Fi network <b>{ssid}</b>.</> : 'Join our Wi-Fi network.'}</li>
                <li>{address ? <>Open a web page; the login page appears (or go to <b>{address}</b>).</> : 'Open a web page; the login page appears.'}</li>
                <li>Enter the code{v.password ? ' and password' : ''} and press Connect.</li>
              </ol>
            </div>
          ))}
        </div>
      </div>
    </PrintShell>
  );
}
