import { Alert, Anchor, Badge, Button, Checkbox, Chip, Group, Loader, NumberInput, Paper, SimpleGrid, Stack, Switch, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconEye, IconPlayerPlay, IconPrinter } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import type { OutputOf } from '../../../../shared/api/contract';
import { WEEKDAY_NAMES, dunningApi } from '../../../../shared/api/dunning';
import { callApi, useApiQuery } from '../../api/hooks';
import { FormAlert } from '../../components/FormAlert';
import { LoadError } from '../../components/LoadError';
import { formatDate, plural } from '../../lib/format';
import { type Money, useMoney } from '../../lib/money';
import { useFormSubmit } from '../../lib/use-form-submit';
import { PagedTable } from '../../components/RecordTable';
import { usePagedList } from '../../lib/use-paged-list';
import { ExportMenu } from '../io/ExportMenu';
import { firstOfMonth, todayIso } from './dates';
import { printRoutes } from './print';

type Settings = OutputOf<'dunning.settings'>;
type Outcome = OutputOf<'dunning.preview'>;

interface Values extends Record<string, unknown> {
  enabled: boolean;
  graceDays: number | string;
  minimumOverdue: string;
  noCutoffWeekdays: string[];
  holidays: string;
  noticeOn: boolean;
  noticeDays: number | string;
  throttleOn: boolean;
  throttleDays: number | string;
  throttleRate: string;
}

const FIELDS = ['enabled', 'graceDays', 'minimumOverdueCents', 'noCutoffWeekdays', 'holidays', 'noticeDays', 'throttleDays', 'throttleRate'] as const;
const STAGE_COLOR = { none: 'gray', notice: 'blue', throttle: 'orange', suspended: 'red' } as const;

/** Dunning on the Billing page: its settings, who moves where on a chosen date, and Run now. */
export function DunningPanel() {
  const settings = useApiQuery('dunning.settings', {});
  const { money } = useMoney();
  if (settings.isLoading || !money) return <Loader />;
  if (!settings.data) return <LoadError what="dunning settings" error={settings.error} onRetry={() => settings.refetch()} />;
  return (
    <Stack gap="lg" maw={1100}>
      <DunningSettingsForm key={settings.data.updatedAt} settings={settings.data} toText={money.toText} parse={money.parse} />
      <DunningPreview format={money.format} />
      <DunningNotices format={money.format} />
    </Stack>
  );
}

function DunningSettingsForm({ settings, toText, parse }: { settings: Settings; toText: (c: number) => string; parse: Money['parse'] }) {
  const queryClient = useQueryClient();
  const form = useForm<Values>({
    initialValues: {
      enabled: settings.enabled,
      graceDays: settings.graceDays,
      minimumOverdue: toText(settings.minimumOverdueCents),
      noCutoffWeekdays: [...settings.noCutoffWeekdays],
      holidays: settings.holidays.join('\n'),
      noticeOn: settings.noticeDays !== null,
      noticeDays: settings.noticeDays ?? '',
      throttleOn: settings.throttleDays !== null,
      throttleDays: settings.throttleDays ?? '',
      throttleRate: settings.throttleRate ?? '',
    },
  });
  const { formError, clearFormError, run } = useFormSubmit(form, [...FIELDS, 'minimumOverdue']);

  const submit = form.onSubmit(async (v) => {
    const amount = parse(v.minimumOverdue || '0');
    if (!amount.ok) {
      form.setFieldError('minimumOverdue', amount.message);
      return;
    }
    const num = (x: number | string) => (typeof x === 'number' ? x : Number.NaN);
    const input = {
      enabled: v.enabled,
      graceDays: num(v.graceDays),
      minimumOverdueCents: amount.value,
      noCutoffWeekdays: WEEKDAY_NAMES.filter((w) => v.noCutoffWeekdays.includes(w)),
      holidays: v.holidays
        .split(/[\s,]+/)
        .map((d) => d.trim())
        .filter(Boolean),
      noticeDays: v.noticeOn ? num(v.noticeDays) : null,
      throttleDays: v.throttleOn ? num(v.throttleDays) : null,
      throttleRate: v.throttleOn ? v.throttleRate.trim() || null : settings.throttleRate,
    };
    const saved = await run(dunningApi['dunning.updateSettings'].input, input, () => callApi('dunning.updateSettings', input));
    if (!saved) return;
    await queryClient.invalidateQueries();
    notifications.show({ color: 'green', title: 'Dunning settings saved', message: saved.enabled ? 'The daily job runs the stages.' : 'The daily job is off.', withBorder: true });
  });

  return (
    <form onSubmit={submit} noValidate data-testid="dunning-settings-form">
      <Paper withBorder radius="md" p="md">
        <Group justify="space-between" mb="sm">
          <Title order={4}>Suspension for non-payment</Title>
          <Switch label="Run daily" {...form.getInputProps('enabled', { type: 'checkbox' })} data-testid="dunning-enabled" />
        </Group>
        <FormAlert message={formError} onClose={clearFormError} />
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="md" verticalSpacing="sm">
          <NumberInput label="Grace period (days)" description="After the due date, before suspension" min={0} max={365} allowDecimal={false} clampBehavior="none" {...form.getInputProps('graceDays')} />
          <TextInput label="Minimum overdue" description="Less than this never moves anyone" {...form.getInputProps('minimumOverdue')} data-testid="dunning-minimum" />
          <Group align="end" gap="xs" wrap="nowrap">
            <Checkbox label="Notice" {...form.getInputProps('noticeOn', { type: 'checkbox' })} mb={8} />
            <NumberInput label="Notice after (days)" disabled={!form.values.noticeOn} min={0} max={365} allowDecimal={false} clampBehavior="none" {...form.getInputProps('noticeDays')} />
          </Group>
          <Group align="end" gap="xs" wrap="nowrap">
            <Checkbox label="Throttle" {...form.getInputProps('throttleOn', { type: 'checkbox' })} mb={8} />
            <NumberInput label="Throttle after (days)" disabled={!form.values.throttleOn} min={0} max={365} allowDecimal={false} clampBehavior="none" {...form.getInputProps('throttleDays')} />
          </Group>
          <TextInput label="Throttle rate" description="upload/download, e.g. 512k/1M" disabled={!form.values.throttleOn} {...form.getInputProps('throttleRate')} />
        </SimpleGrid>
        <Text size="sm" fw={500} mt="md" mb={4}>
          No cut-off on
        </Text>
        <Chip.Group multiple value={form.values.noCutoffWeekdays} onChange={(v) => form.setFieldValue('noCutoffWeekdays', v)}>
          <Group gap="xs">
            {WEEKDAY_NAMES.map((w) => (
              <Chip key={w} value={w} size="sm">
                {w}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
        {form.errors.noCutoffWeekdays && (
          <Text c="red" size="xs" mt={4}>
            {form.errors.noCutoffWeekdays}
          </Text>
        )}
        <Textarea mt="md" label="Holidays" description="One date a line (YYYY-MM-DD): nobody is moved to a harsher stage on these days" autosize minRows={2} maxRows={6} {...form.getInputProps('holidays')} />
        <Group justify="space-between" mt="md">
          <Text size="xs" c="dimmed">
            Last daily run: {settings.lastRunDate ? formatDate(settings.lastRunDate) : 'never'}
          </Text>
          <Button type="submit">Save dunning settings</Button>
        </Group>
      </Paper>
    </form>
  );
}

function DunningPreview({ format }: { format: (c: number) => string }) {
  const queryClient = useQueryClient();
  const [date, setDate] = useState(todayIso());
  const [outcome, setOutcome] = useState<{ kind: 'preview' | 'run'; value: Outcome } | null>(null);
  const [busy, setBusy] = useState<'preview' | 'run' | null>(null);
  const [error, setError] = useState<string | null>(null);

  const go = async (kind: 'preview' | 'run') => {
    setBusy(kind);
    setError(null);
    try {
      const value = kind === 'preview' ? await callApi('dunning.preview', { date }) : await callApi('dunning.run', { date });
      setOutcome({ kind, value });
      if (kind === 'run') {
        await queryClient.invalidateQueries();
        notifications.show({ color: 'green', title: 'Dunning ran', message: `${plural(value.moves.length, 'subscription')} moved on ${formatDate(value.date)}.`, withBorder: true });
      }
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };

  const moves = outcome?.value.moves ?? [];
  return (
    <Paper withBorder radius="md" p="md">
      <Title order={4} mb="sm">
        Who moves on a date
      </Title>
      <Group align="end">
        <TextInput type="date" label="Date" value={date} onChange={(e) => setDate(e.currentTarget.value)} data-testid="dunning-date" />
        <Button variant="light" leftSection={<IconEye size={16} />} loading={busy === 'preview'} onClick={() => go('preview')} data-testid="dunning-preview">
          Preview
        </Button>
        <Button color="red" leftSection={<IconPlayerPlay size={16} />} loading={busy === 'run'} onClick={() => go('run')} data-testid="dunning-run-now">
          Run now
        </Button>
      </Group>
      {error && (
        <Alert color="red" mt="md">
          {error}
        </Alert>
      )}
      {outcome && (
        <Stack gap="xs" mt="md" data-testid="dunning-outcome">
          <Text size="sm">
            {outcome.kind === 'preview' ? 'Would move' : 'Moved'} on {formatDate(outcome.value.date)}: {plural(moves.length, 'subscription')}
            {outcome.kind === 'preview' ? ' (nothing written yet)' : ''}.
          </Text>
          {moves.length > 0 && (
            <Table.ScrollContainer minWidth={700} mah={480}>
              <Table striped highlightOnHover stickyHeader>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Subscription</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>From</Table.Th>
                    <Table.Th>To</Table.Th>
                    <Table.Th ta="right">Overdue</Table.Th>
                    <Table.Th>Invoices</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {/* A day's moves are at most a few thousand rows; the first 1,000 are shown. */}
                  {moves.slice(0, 1000).map((m) => (
                    <Table.Tr key={m.subscriptionId}>
                      <Table.Td>
                        <Anchor component={Link} to={`/subscriptions/${m.subscriptionId}`} size="sm">
                          {m.uniqueId} {m.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{m.status}</Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={STAGE_COLOR[m.from]}>
                          {m.from}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="filled" color={STAGE_COLOR[m.to]}>
                          {m.to}
                        </Badge>
                      </Table.Td>
                      <Table.Td ta="right">{format(m.overdueCents)}</Table.Td>
                      <Table.Td>{m.invoiceNumbers.join(', ')}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Stack>
      )}
    </Paper>
  );
}

type NoticeRow = OutputOf<'dunning.notices'>['rows'][number];

/** The notices of a date range: to print as letters (one a page) or export as a list for a mail merge. */
function DunningNotices({ format }: { format: (c: number) => string }) {
  const navigate = useNavigate();
  const today = todayIso();
  const [from, setFrom] = useState(firstOfMonth(today));
  const [to, setTo] = useState(today);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  // An invalid range keeps the last valid one listed; the fields say what is wrong.
  const [range, setRange] = useState({ from, to });
  if (valid && (range.from !== from || range.to !== to)) setRange({ from, to });
  const { list, paging } = usePagedList('dunning.notices', range, 25);
  const total = list.data?.total ?? 0;
  return (
    <Paper withBorder radius="md" p="md" data-testid="dunning-notices-panel">
      <Title order={4} mb="sm">
        Notices
      </Title>
      <Group align="end" justify="space-between" mb="sm">
        <Group align="end">
          <TextInput type="date" label="From" value={from} onChange={(e) => setFrom(e.currentTarget.value)} error={from && !/^\d{4}-\d{2}-\d{2}$/.test(from) ? 'A date' : undefined} data-testid="notices-from" />
          <TextInput type="date" label="To" value={to} onChange={(e) => setTo(e.currentTarget.value)} error={valid || !from || !to ? undefined : 'On or after From'} data-testid="notices-to" />
          <Text size="sm" c="dimmed" mb={8} data-testid="notices-count">
            {list.data ? plural(total, 'notice') : ' '}
          </Text>
        </Group>
        <Group gap="xs">
          <ExportMenu list="dunningNotices" filter={range} />
          <Button component={Link} to={printRoutes.notices(range.from, range.to)} leftSection={<IconPrinter size={16} />} disabled={total === 0} data-testid="print-notices">
            Print letters
          </Button>
        </Group>
      </Group>
      <PagedTable<NoticeRow>
        what="notices"
        list={list}
        paging={paging}
        noRecordsText="No notice in this range. The notice stage records one when a subscription reaches it."
        onRowClick={(r) => navigate(`/subscriptions/${r.subscriptionId}/summary`)}
        rowAttributes={(r) => ({ 'data-testid': 'notice-row', 'data-notice-id': r.id })}
        columns={[
          { accessor: 'date', title: 'Date', width: 130, cellsClassName: 'tabular', render: (r) => formatDate(r.date) },
          { accessor: 'uniqueId', title: 'Unique ID', width: 120, cellsClassName: 'tabular' },
          { accessor: 'name', title: 'Subscription', ellipsis: true },
          { accessor: 'contactName', title: 'Contact', ellipsis: true },
          { accessor: 'overdueCents', title: 'Overdue', textAlign: 'right', width: 120, cellsClassName: 'tabular', render: (r) => format(r.overdueCents) },
          { accessor: 'invoiceNumbers', title: 'Invoices', ellipsis: true, render: (r) => r.invoiceNumbers.join(', ') },
          {
            accessor: 'print',
            title: '',
            width: 60,
            render: (r) => (
              <Anchor component={Link} to={printRoutes.notice(r.id)} onClick={(e) => e.stopPropagation()} aria-label={`Print the notice to ${r.name}`} data-testid="print-notice">
                <IconPrinter size={16} />
              </Anchor>
            ),
          },
        ]}
      />
    </Paper>
  );
}
