import { Alert, Button, Group, Loader, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconFileTypePdf, IconPrinter } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { Route, Routes, useLocation, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { useApiQuery } from '../../api/hooks';
import { LoadError } from '../../components/LoadError';
import { isIsoDate } from './dates';
import { canSavePdfDirectly, printThisPage } from './print';

/**
 * The print view: an invoice, a statement or this month's statements, as the back end's HTML
 * template renders them, shown as the page itself so that the app's print, Electron's printToPDF and
 * the browser's print all print exactly the document (its @page rules give the size, margins and
 * page numbers). It sits outside the app shell: nothing but the document goes to paper.
 */
export function PrintViewPage() {
  return (
    <Routes>
      <Route path="invoice/:id" element={<PrintInvoice />} />
      <Route path="statement/:subscriptionId" element={<PrintStatement />} />
      <Route path="statements" element={<PrintBatch />} />
      <Route path="notice/:id" element={<PrintNotice />} />
      <Route path="notices" element={<PrintNotices />} />
      <Route path="*" element={<Shell><LoadError what="the document" error={new Error('There is no such printable document.')} /></Shell>} />
    </Routes>
  );
}

function positiveId(text: string | undefined): number | null {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : null;
}

function PrintInvoice() {
  const id = positiveId(useParams().id);
  const doc = useApiQuery('invoices.html', { id: id ?? 0 }, { enabled: id !== null });
  if (id === null) return <Shell><LoadError what="the invoice" error={new Error('Not an invoice id.')} /></Shell>;
  return <PrintedDocument what="the invoice" html={doc.data?.html} error={doc.error} loading={doc.isLoading} />;
}

function PrintStatement() {
  const subscriptionId = positiveId(useParams().subscriptionId);
  const [params] = useSearchParams();
  const from = params.get('from');
  const to = params.get('to');
  const valid = subscriptionId !== null && isIsoDate(from) && isIsoDate(to);
  const doc = useApiQuery('statements.html', { subscriptionId: subscriptionId ?? 0, from: from ?? '', to: to ?? '' }, { enabled: valid });
  if (!valid) return <Shell><LoadError what="the statement" error={new Error('A statement needs a subscription and a period (from, to).')} /></Shell>;
  return <PrintedDocument what="the statement" html={doc.data?.html} error={doc.error} loading={doc.isLoading} />;
}

function PrintBatch() {
  const [params] = useSearchParams();
  const from = params.get('from');
  const to = params.get('to');
  const valid = isIsoDate(from) && isIsoDate(to);
  const doc = useApiQuery('statements.batchHtml', { from: from ?? '', to: to ?? '' }, { enabled: valid });
  if (!valid) return <Shell><LoadError what="the statements" error={new Error('Statements need a period (from, to).')} /></Shell>;
  if (doc.data && doc.data.count === 0) {
    return (
      <Shell>
        <Alert color="gray" variant="light" title="Nothing to print" data-testid="print-empty">
          No subscription has activity or a balance in this period.
        </Alert>
      </Shell>
    );
  }
  return <PrintedDocument what="the statements" html={doc.data?.html} error={doc.error} loading={doc.isLoading} count={doc.data?.count} />;
}

function PrintNotice() {
  const id = positiveId(useParams().id);
  const doc = useApiQuery('dunning.noticeHtml', { id: id ?? 0 }, { enabled: id !== null });
  if (id === null) return <Shell><LoadError what="the notice" error={new Error('Not a notice id.')} /></Shell>;
  return <PrintedDocument what="the notice" html={doc.data?.html} error={doc.error} loading={doc.isLoading} />;
}

/** A date range's dunning notices, a letter a page (from the Dunning tab). */
function PrintNotices() {
  const [params] = useSearchParams();
  const from = params.get('from');
  const to = params.get('to');
  const valid = isIsoDate(from) && isIsoDate(to);
  const doc = useApiQuery('dunning.noticesHtml', { from: from ?? '', to: to ?? '' }, { enabled: valid });
  if (!valid) return <Shell><LoadError what="the notices" error={new Error('Notices need a period (from, to).')} /></Shell>;
  if (doc.data && doc.data.count === 0) {
    return (
      <Shell>
        <Alert color="gray" variant="light" title="Nothing to print" data-testid="print-empty">
          No dunning notice is dated in this period.
        </Alert>
      </Shell>
    );
  }
  return <PrintedDocument what="the notices" html={doc.data?.html} error={doc.error} loading={doc.isLoading} count={doc.data?.count} countWord={['notice', 'notices']} />;
}

interface ParsedDocument {
  title: string;
  css: string;
  body: string;
}

const DROPPED = 'script, iframe, frame, object, embed, link, meta, base, form, input, button, textarea, select';

/**
 * The template escapes everything a person typed; this is the second line: no element or
 * attribute that could run code or fetch anything survives (the CSP forbids inline scripts too).
 */
export function parseDocument(html: string): ParsedDocument {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const css = [...doc.querySelectorAll('style')].map((s) => s.textContent ?? '').join('\n');
  doc.querySelectorAll(`${DROPPED}, style`).forEach((n) => n.remove());
  for (const el of doc.body.querySelectorAll('*')) {
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on') || name === 'style' || name === 'srcset') el.removeAttribute(attr.name);
      else if ((name === 'src' || name === 'href') && !/^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,/i.test(attr.value)) el.removeAttribute(attr.name);
    }
  }
  return { title: doc.title || 'Towerline document', css, body: doc.body.innerHTML };
}

/**
 * Paper on a grey desk on screen; on paper, only the document, with the template's own margins.
 * `html body` outranks the template's own screen rules for a standalone page (a narrow, padded body).
 */
const VIEW_CSS = `
@media screen {
  html body { background: #dee2e6; max-width: none !important; margin: 0 !important; padding: 0 !important; }
  .tl-print-sheet { width: 8.5in; min-height: 11in; margin: 0 auto 32px; padding: 18mm 16mm 20mm; background: #fff; color: #000; color-scheme: light; box-shadow: 0 2px 12px rgba(0,0,0,.18); }
  .tl-print-sheet .document + .document { margin-top: 18mm; padding-top: 14mm; border-top: 1px dashed #adb5bd; }
}
@media print {
  .tl-print-toolbar { display: none !important; }
  .tl-print-sheet { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
}
.tl-print-toolbar { position: sticky; top: 0; z-index: 10; display: flex; justify-content: space-between; align-items: center; gap: 12px; padding: 10px 16px; margin-bottom: 24px; background: var(--mantine-color-body); border-bottom: 1px solid var(--mantine-color-default-border); }
`;

/**
 * The print view's frame: a toolbar (Back, title, actions) that never reaches the paper, around the
 * printed content. Other printable pages (the voucher sheet) use it too, so paper shows only what is meant.
 */
interface ShellProps {
  children: React.ReactNode;
  title?: string;
  actions?: React.ReactNode;
  backTo?: string;
  backLabel?: string;
}

export { Shell as PrintShell };

function Shell({ children, title, actions, backTo = '/billing', backLabel = 'Back' }: ShellProps) {
  const navigate = useNavigate();
  const location = useLocation();
  // Opened from a link in the app: back returns there; opened directly: to the Billing area.
  const back = () => (location.key !== 'default' ? navigate(-1) : navigate(backTo));
  return (
    <>
      <style>{VIEW_CSS}</style>
      <div className="tl-print-toolbar" data-testid="print-toolbar">
        <Group gap="sm" wrap="nowrap">
          <Button variant="subtle" leftSection={<IconArrowLeft size={16} />} onClick={back}>
            {backLabel}
          </Button>
          {title && (
            <Text fw={600} truncate>
              {title}
            </Text>
          )}
        </Group>
        <Group gap="xs" wrap="nowrap">
          {actions}
        </Group>
      </div>
      {children}
    </>
  );
}

function PrintedDocument({
  what,
  html,
  error,
  loading,
  count,
  countWord = ['statement', 'statements'],
}: {
  what: string;
  html: string | undefined;
  error: Error | null;
  loading: boolean;
  count?: number;
  countWord?: [string, string];
}) {
  const parsed = useMemo(() => (html ? parseDocument(html) : null), [html]);
  const [busy, setBusy] = useState<'print' | 'pdf' | null>(null);

  // The window's title names the saved file (Electron's save dialog, the browser's "Save as PDF").
  useEffect(() => {
    if (!parsed) return;
    const before = document.title;
    document.title = parsed.title;
    return () => {
      document.title = before;
    };
  }, [parsed]);

  const print = async (pdf: boolean) => {
    if (!parsed) return;
    setBusy(pdf ? 'pdf' : 'print');
    try {
      const outcome = await printThisPage({ pdf, title: parsed.title });
      if (outcome.kind === 'saved') notifications.show({ color: 'green', title: 'PDF saved', message: outcome.path, withBorder: true });
    } catch (e) {
      notifications.show({ color: 'red', title: 'Not printed', message: e instanceof Error ? e.message : 'Printing failed.', withBorder: true });
    } finally {
      setBusy(null);
    }
  };

  if (loading) return <Shell><Loader m="xl" /></Shell>;
  if (!parsed) return <Shell><LoadError what={what} error={error} /></Shell>;
  return (
    <Shell
      title={count !== undefined ? `${parsed.title} · ${count.toLocaleString()} ${count === 1 ? countWord[0] : countWord[1]}` : parsed.title}
      actions={
        <>
          <Button leftSection={<IconPrinter size={16} />} loading={busy === 'print'} onClick={() => print(false)} data-testid="print-button">
            {canSavePdfDirectly ? 'Print' : 'Print or save as PDF'}
          </Button>
          {canSavePdfDirectly && (
            <Button variant="light" leftSection={<IconFileTypePdf size={16} />} loading={busy === 'pdf'} onClick={() => print(true)} data-testid="save-pdf-button">
              Save as PDF
            </Button>
          )}
        </>
      }
    >
      <style>{parsed.css}</style>
      <div className="tl-print-sheet" data-testid="print-document" dangerouslySetInnerHTML={{ __html: parsed.body }} />
    </Shell>
  );
}
