import { Alert, Badge, Button, Group, Loader, Modal, Paper, Progress, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconCircleCheck, IconEye, IconPlayerPlay } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import type { OutputOf } from '../../../../shared/api/contract';
import { billingApi } from '../../../../shared/api/billing';
import { callApi, useApiQuery } from '../../api/hooks';
import { LoadError } from '../../components/LoadError';
import { formatDateTime, plural } from '../../lib/format';
import { type Money, useMoney } from '../../lib/money';
import { validateWith } from '../../lib/form-errors';
import { formatDay, todayIso } from './dates';
import { Stat } from './Stat';

type Run = OutputOf<'billing.runs.get'>;
type Preview = OutputOf<'billing.preview'>;

const RUN_STATUS_COLORS: Record<Run['status'], string> = { running: 'blue', completed: 'green', failed: 'red', interrupted: 'orange' };

export function RunStatusBadge({ status }: { status: Run['status'] }) {
  return (
    <Badge color={RUN_STATUS_COLORS[status]} variant="light" radius="sm" data-testid="run-status" data-status={status}>
      {status}
    </Badge>
  );
}

/**
 * Billing runs: preview what a date would bill, run it and follow its progress (the run works in
 * batches on the back end; this screen asks for its row until it is no longer running), and the
 * history of runs.
 */
export function RunsPanel() {
  const { money, error } = useMoney();
  const [date, setDate] = useState(todayIso());
  const [dateError, setDateError] = useState<string | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [startedRunId, setStartedRunId] = useState<number | null>(null);
  const [starting, setStarting] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const history = useApiQuery('billing.runs.list', { page, pageSize: 10 }, { keepPrevious: true });

  // A run started elsewhere (another window, a script) is followed too.
  const latest = history.data?.rows[0];
  const followedId = startedRunId ?? (latest?.status === 'running' ? latest.id : null);

  const checkDate = (): boolean => {
    const errors = validateWith(billingApi['billing.preview'].input, { date }, ['date']);
    setDateError(errors.date ?? null);
    return !errors.date;
  };

  const runPreview = async () => {
    if (!checkDate()) return;
    setPreviewing(true);
    setFailure(null);
    try {
      setPreview(await callApi('billing.preview', { date }));
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The preview failed.');
    } finally {
      setPreviewing(false);
    }
  };

  // A run writes invoices for many subscriptions at once: say what it will bill before it does.
  const [confirming, setConfirming] = useState<Preview | null>(null);
  const askToRun = async () => {
    if (!checkDate()) return;
    setStarting(true);
    setFailure(null);
    try {
      const current = preview?.date === date ? preview : await callApi('billing.preview', { date });
      setPreview(current);
      setConfirming(current);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The run did not start.');
    } finally {
      setStarting(false);
    }
  };

  const startRun = async () => {
    setConfirming(null);
    if (!checkDate()) return;
    setStarting(true);
    setFailure(null);
    try {
      const run = await callApi('billing.run', { date, wait: false });
      setStartedRunId(run.id);
      setPreview(null);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The run did not start.');
    } finally {
      setStarting(false);
    }
  };

  if (!money) return error ? <LoadError what="the currency" error={error} /> : <Loader />;

  return (
    <Stack gap="md">
      <Paper withBorder radius="md" p="md">
        <Group align="flex-end" gap="sm">
          <TextInput
            type="date"
            label="Bill up to"
            description="Every period due by this day is billed, missed ones included"
            value={date}
            onChange={(e) => {
              setDate(e.currentTarget.value);
              setDateError(null);
              setPreview(null);
            }}
            error={dateError}
            w={260}
            data-testid="run-date"
          />
          <Button variant="default" leftSection={<IconEye size={16} />} loading={previewing} onClick={runPreview} data-testid="preview-run">
            Preview
          </Button>
          <Button leftSection={<IconPlayerPlay size={16} />} loading={starting} disabled={followedId !== null && latest?.status === 'running'} onClick={askToRun} data-testid="start-run">
            Run billing
          </Button>
        </Group>
        {failure && (
          <Alert mt="md" color="red" variant="light" icon={<IconAlertCircle size={18} />} title="Billing did not run" data-testid="run-error">
            {failure}
          </Alert>
        )}
      </Paper>

      {confirming && (
        <Modal opened onClose={() => setConfirming(null)} title={`Run billing up to ${formatDay(confirming.date)}?`} centered data-testid="confirm-run">
          <Stack gap="sm">
            {confirming.subscriptions === 0 ? (
              <Text size="sm">Nothing is due by this day: the run will bill no one.</Text>
            ) : (
              <Text size="sm">
                This adds {confirming.charges.toLocaleString()} {confirming.charges === 1 ? 'charge' : 'charges'} for {confirming.subscriptions.toLocaleString()}{' '}
                {confirming.subscriptions === 1 ? 'subscription' : 'subscriptions'} to their draft invoices.
              </Text>
            )}
            <Group gap="xl">
              <Stat label="Subscriptions" value={confirming.subscriptions.toLocaleString()} testId="confirm-subscriptions" />
              <Stat label="Charges" value={confirming.charges.toLocaleString()} />
              <Stat label="Total" value={money.formatTotal(confirming.totalCents)} testId="confirm-total" />
            </Group>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirming(null)}>
                Cancel
              </Button>
              <Button leftSection={<IconPlayerPlay size={16} />} onClick={startRun} data-autofocus data-testid="confirm-start-run">
                {confirming.subscriptions === 0 ? 'Run anyway' : `Bill ${confirming.subscriptions.toLocaleString()} ${confirming.subscriptions === 1 ? 'subscription' : 'subscriptions'}`}
              </Button>
            </Group>
          </Stack>
        </Modal>
      )}
      {preview && <PreviewResult preview={preview} money={money} />}
      {followedId !== null && <RunProgress runId={followedId} money={money} />}

      <Paper withBorder radius="md" p="md">
        <Title order={4} mb="sm">
          History
        </Title>
        {history.error && !history.data ? (
          <LoadError what="billing runs" error={history.error} onRetry={() => history.refetch()} />
        ) : (
          <DataTable<Run>
            withTableBorder
            borderRadius="md"
            striped
            minHeight={160}
            verticalSpacing="xs"
            fetching={history.isFetching && !history.data}
            records={history.data?.rows ?? []}
            totalRecords={history.data?.total ?? 0}
            page={page}
            onPageChange={setPage}
            recordsPerPage={10}
            noRecordsText="No billing run yet."
            customRowAttributes={(r) => ({ 'data-testid': 'run-row', 'data-run-id': r.id })}
            columns={[
              { accessor: 'runDate', title: 'Billed up to', width: 130, render: (r) => formatDay(r.runDate) },
              { accessor: 'status', title: 'Status', width: 120, render: (r) => <RunStatusBadge status={r.status} /> },
              { accessor: 'subscriptionsBilled', title: 'Subscriptions', textAlign: 'right', cellsClassName: 'tabular', render: (r) => r.subscriptionsBilled.toLocaleString() },
              { accessor: 'chargesCreated', title: 'Charges', textAlign: 'right', cellsClassName: 'tabular', render: (r) => r.chargesCreated.toLocaleString() },
              { accessor: 'invoicesCreated', title: 'Invoices', textAlign: 'right', cellsClassName: 'tabular', render: (r) => r.invoicesCreated.toLocaleString() },
              { accessor: 'amountCents', title: 'Amount', textAlign: 'right', cellsClassName: 'tabular', render: (r) => money.formatTotal(r.amountCents) },
              { accessor: 'startedAt', title: 'Started', render: (r) => formatDateTime(r.startedAt) },
              { accessor: 'startedBy', title: 'By', ellipsis: true },
              { accessor: 'finishedAt', title: 'Took', textAlign: 'right', render: (r) => duration(r) },
            ]}
          />
        )}
      </Paper>
    </Stack>
  );
}

/** Blank when the time a run took is not known (runs recorded without it), never a made-up "0 ms". */
function duration(r: Run): string {
  if (r.durationMs === null) return '';
  return r.durationMs < 1000 ? `${r.durationMs} ms` : `${(r.durationMs / 1000).toFixed(1)} s`;
}

function PreviewResult({ preview, money }: { preview: Preview; money: Money }) {
  return (
    <Paper withBorder radius="md" p="md" data-testid="run-preview">
      <Text fw={600} mb="sm">
        A run up to {formatDay(preview.date)} would bill
      </Text>
      <SimpleGrid cols={{ base: 2, md: 5 }} mb="md">
        <Stat label="Subscriptions" value={preview.subscriptions.toLocaleString()} testId="preview-subscriptions" />
        <Stat label="Charges" value={preview.charges.toLocaleString()} testId="preview-charges" />
        <Stat label="Subtotal" value={money.formatTotal(preview.subtotalCents)} />
        <Stat label="Tax" value={money.formatTotal(preview.taxCents)} />
        <Stat label="Total" value={money.formatTotal(preview.totalCents)} testId="preview-total" />
      </SimpleGrid>
      {preview.byPlan.length === 0 ? (
        <Text c="dimmed" size="sm">
          Nothing is due: every subscription is billed up to this day.
        </Text>
      ) : (
        <Table striped verticalSpacing="xs" data-testid="preview-by-plan">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Plan</Table.Th>
              <Table.Th ta="right">Charges</Table.Th>
              <Table.Th ta="right">Subtotal</Table.Th>
              <Table.Th ta="right">Tax</Table.Th>
              <Table.Th ta="right">Total</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {preview.byPlan.map((p) => (
              <Table.Tr key={p.planId ?? p.planName}>
                <Table.Td>{p.planName}</Table.Td>
                <Table.Td ta="right" className="tabular">
                  {p.charges.toLocaleString()}
                </Table.Td>
                <Table.Td ta="right" className="tabular">
                  {money.formatTotal(p.subtotalCents)}
                </Table.Td>
                <Table.Td ta="right" className="tabular">
                  {money.formatTotal(p.taxCents)}
                </Table.Td>
                <Table.Td ta="right" className="tabular">
                  {money.formatTotal(p.totalCents)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

/** Follows one run over the API until it stops running; then every list it changed is refreshed. */
function RunProgress({ runId, money }: { runId: number; money: Money }) {
  const queryClient = useQueryClient();
  const run = useQuery<Run, Error>({
    queryKey: ['billing.runs.get', { id: runId }],
    queryFn: () => callApi('billing.runs.get', { id: runId }),
    refetchInterval: (query) => (query.state.data?.status === 'running' || !query.state.data ? 300 : false),
  });
  const status = run.data?.status;
  const announced = useRef<number | null>(null);

  useEffect(() => {
    if (!run.data || status === 'running' || announced.current === runId) return;
    announced.current = runId;
    void queryClient.invalidateQueries();
    if (status === 'completed') {
      notifications.show({ color: 'green', title: 'Billing run finished', message: `${plural(run.data.chargesCreated, 'charge')} on ${plural(run.data.invoicesCreated, 'new invoice')}`, withBorder: true });
    }
  }, [status, runId, run.data, queryClient]);

  if (run.error && !run.data) return <LoadError what="the run's progress" error={run.error} onRetry={() => run.refetch()} />;
  if (!run.data) return <Loader size="sm" />;
  const r = run.data;
  const percent = r.total > 0 ? Math.round((r.done / r.total) * 100) : r.status === 'running' ? 0 : 100;

  return (
    <Paper withBorder radius="md" p="md" data-testid="run-progress" data-status={r.status}>
      <Group justify="space-between" mb="xs">
        <Group gap="xs">
          {r.status === 'completed' ? <IconCircleCheck size={20} color="var(--mantine-color-green-7)" /> : r.status === 'running' ? <Loader size={16} /> : <IconAlertCircle size={20} color="var(--mantine-color-red-7)" />}
          <Text fw={600}>
            Run up to {formatDay(r.runDate)}: {r.status === 'running' ? 'billing…' : r.status}
          </Text>
        </Group>
        <Text size="sm" c="dimmed" className="tabular" data-testid="run-progress-count">
          {r.done.toLocaleString()} of {r.total.toLocaleString()} subscriptions
        </Text>
      </Group>
      <Progress value={percent} animated={r.status === 'running'} color={r.status === 'completed' ? 'green' : r.status === 'running' ? undefined : 'red'} size="lg" aria-label="Billing run progress" />
      <SimpleGrid cols={{ base: 2, md: 4 }} mt="md">
        <Stat label="Subscriptions billed" value={r.subscriptionsBilled.toLocaleString()} testId="run-subscriptions" />
        <Stat label="Charges" value={r.chargesCreated.toLocaleString()} testId="run-charges" />
        <Stat label="New invoices" value={r.invoicesCreated.toLocaleString()} testId="run-invoices" />
        <Stat label="Amount" value={money.formatTotal(r.amountCents)} testId="run-amount" />
      </SimpleGrid>
      {r.error && (
        <Alert mt="md" color="red" variant="light" title="The run stopped">
          {r.error} Run billing again for the same day: what was billed stays billed, the rest is completed.
        </Alert>
      )}
      {r.status === 'completed' && r.chargesCreated > 0 && (
        <Text size="sm" mt="md">
          The new charges are on draft invoices.{' '}
          <Text component={Link} to="/billing/invoices" c="var(--mantine-primary-color-filled)" inherit>
            Review and issue them
          </Text>
          .
        </Text>
      )}
    </Paper>
  );
}
