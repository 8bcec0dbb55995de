import { Alert, Badge, Button, FileButton, Group, Modal, Progress, ScrollArea, Select, SimpleGrid, Stack, Stepper, Table, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconDownload, IconFileSpreadsheet, IconUpload } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { InputOf, OutputOf } from '../../../../shared/api/contract';
import { callApi, useApiQuery } from '../../api/hooks';
import { downloadFile, fileToBase64 } from '../../lib/files';

type Kind = InputOf<'imports.preview'>['kind'];
type Report = OutputOf<'imports.preview'>;
type Mapping = Record<string, string | null>;

const KIND_LABEL: Record<Kind, string> = { subscriptions: 'subscriptions', services: 'services', devices: 'devices', payments: 'payments' };

/** Polls imports.progress while a long preview or apply runs. */
function useJobProgress(jobId: string | null) {
  const [progress, setProgress] = useState<{ done: number; total: number; phase: string } | null>(null);
  useEffect(() => {
    if (!jobId) return setProgress(null);
    let stop = false;
    const tick = async () => {
      try {
        const p = await callApi('imports.progress', { jobId });
        if (!stop && p) setProgress(p);
      } catch {
        // A missed poll only delays the bar.
      }
      if (!stop) setTimeout(tick, 400);
    };
    void tick();
    return () => {
      stop = true;
    };
  }, [jobId]);
  return progress;
}

/**
 * Import from Excel or CSV in four steps: choose the file, check how its columns map to fields,
 * read the dry run's report (errors at their row and column, downloadable), then import all rows
 * in one go; nothing is written until the last step, and then everything or nothing.
 */
export function ImportWizard({ kind, opened, onClose }: { kind: Kind; opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [step, setStep] = useState(0);
  const [file, setFile] = useState<{ name: string; base64: string } | null>(null);
  const [mapping, setMapping] = useState<Mapping | null>(null);
  const [keyColumn, setKeyColumn] = useState<string | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [result, setResult] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [mappingName, setMappingName] = useState('');
  const progress = useJobProgress(jobId);
  const saved = useApiQuery('imports.mappings.list', { kind }, { enabled: opened });
  const resetRef = useRef<() => void>(null);

  const reset = () => {
    setStep(0);
    setFile(null);
    setMapping(null);
    setKeyColumn(null);
    setReport(null);
    setResult(null);
    setError(null);
    resetRef.current?.();
  };
  const close = () => {
    reset();
    onClose();
  };

  const run = async (procedure: 'imports.preview' | 'imports.apply', input: { mapping?: Mapping; keyColumn?: string | null }) => {
    if (!file) return null;
    const id = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    setJobId(id);
    setError(null);
    try {
      return await callApi(procedure, { kind, file, jobId: id, ...input });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return null;
    } finally {
      setJobId(null);
    }
  };

  const choose = async (picked: File | null) => {
    if (!picked) return;
    const chosen = { name: picked.name, base64: await fileToBase64(picked) };
    setFile(chosen);
    setReport(null);
    setResult(null);
    const id = `${Date.now()}-map`;
    setJobId(id);
    setError(null);
    try {
      // A first dry run with automatic mapping reads the headers and proposes the mapping.
      const first = await callApi('imports.preview', { kind, file: chosen, jobId: id });
      setReport(first);
      setMapping(first.mapping);
      setKeyColumn(first.keyColumn);
      setStep(1);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setJobId(null);
    }
  };

  const dryRun = async () => {
    const r = await run('imports.preview', { mapping: mapping ?? undefined, keyColumn });
    if (r) {
      setReport(r);
      setStep(2);
    }
  };

  const apply = async () => {
    setStep(3);
    const r = await run('imports.apply', { mapping: mapping ?? undefined, keyColumn });
    if (r) {
      setResult(r);
      if (r.applied) await queryClient.invalidateQueries();
      else setReport(r);
      setStep(r.applied ? 4 : 2);
    } else setStep(2);
  };

  const fieldOptions = useMemo(() => [{ value: '', label: 'Do not import' }, ...(report?.fields ?? []).map((f) => ({ value: f.key, label: f.required ? `${f.label} (required)` : f.label }))], [report]);
  const keyOptions = useMemo(
    () => Object.entries(mapping ?? {}).filter(([, f]) => f && report?.keyFields.includes(f)).map(([column]) => ({ value: column, label: column })),
    [mapping, report],
  );
  const busy = jobId !== null;

  return (
    <Modal opened={opened} onClose={close} title={`Import ${KIND_LABEL[kind]} from Excel or CSV`} size="xl" closeOnClickOutside={!busy} data-testid="import-wizard">
      <Stepper active={step} size="sm" mb="md" allowNextStepsSelect={false}>
        <Stepper.Step label="File" />
        <Stepper.Step label="Columns" />
        <Stepper.Step label="Dry run" />
        <Stepper.Step label="Import" />
        <Stepper.Completed>{null}</Stepper.Completed>
      </Stepper>

      {error && (
        <Alert color="red" icon={<IconAlertTriangle size={18} />} mb="sm" data-testid="import-error">
          {error}
        </Alert>
      )}
      {busy && (
        <Stack gap={4} mb="sm" data-testid="import-progress">
          <Progress value={progress ? (100 * progress.done) / Math.max(1, progress.total) : 5} animated />
          <Text size="xs" c="dimmed">
            {progress?.phase ?? 'Reading the file…'}
          </Text>
        </Stack>
      )}

      {step === 0 && (
        <Stack>
          <Text size="sm">
            Choose an Excel workbook (.xlsx) or a CSV file (comma, semicolon or tab separated). The first row must name the columns. Nothing is saved until the last step.
          </Text>
          <Group>
            <FileButton onChange={choose} accept=".xlsx,.csv,.txt,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" resetRef={resetRef}>
              {(props) => (
                <Button {...props} leftSection={<IconUpload size={16} />} loading={busy} data-testid="import-choose-file">
                  Choose file
                </Button>
              )}
            </FileButton>
            <Button variant="subtle" leftSection={<IconFileSpreadsheet size={16} />} onClick={async () => downloadFile(await callApi('imports.template', { kind }))}>
              Download template
            </Button>
          </Group>
        </Stack>
      )}

      {step === 1 && report && mapping && (
        <Stack>
          <Text size="sm">
            <b>{file?.name}</b>: {report.rows.toLocaleString()} rows. Check which field each column fills; columns set to "Do not import" are ignored.
          </Text>
          <Group align="flex-end">
            <Select
              label="Use a saved mapping"
              placeholder={saved.data?.length ? 'Choose…' : 'None saved yet'}
              data={(saved.data ?? []).map((s) => ({ value: String(s.id), label: s.name }))}
              onChange={(id) => {
                const s = saved.data?.find((m) => String(m.id) === id);
                if (!s) return;
                setMapping(Object.fromEntries(report.columns.map((c) => [c, s.mapping[c] ?? null])));
                if (s.keyColumn && report.columns.includes(s.keyColumn)) setKeyColumn(s.keyColumn);
              }}
              w={220}
            />
            <TextInput label="Save this mapping as" placeholder="e.g. Splynx export" value={mappingName} onChange={(e) => setMappingName(e.currentTarget.value)} w={220} />
            <Button
              variant="default"
              disabled={!mappingName.trim()}
              onClick={async () => {
                await callApi('imports.mappings.save', { name: mappingName.trim(), kind, mapping, keyColumn });
                await saved.refetch();
                setMappingName('');
              }}
            >
              Save mapping
            </Button>
          </Group>
          <ScrollArea.Autosize mah={360}>
            <SimpleGrid cols={2} spacing="xs" data-testid="import-mapping">
              {report.columns.map((column) => (
                <Select
                  key={column}
                  label={column}
                  aria-label={`Field for column ${column}`}
                  data={fieldOptions}
                  value={mapping[column] ?? ''}
                  onChange={(value) => setMapping({ ...mapping, [column]: value || null })}
                  allowDeselect={false}
                />
              ))}
            </SimpleGrid>
          </ScrollArea.Autosize>
          <Select
            label="Match existing records on"
            description="Rows whose value here is already stored update that record instead of adding another."
            data={keyOptions}
            value={keyColumn}
            onChange={setKeyColumn}
            clearable
            w={320}
          />
          <Group justify="space-between">
            <Button variant="default" onClick={reset}>
              Back
            </Button>
            <Button onClick={dryRun} loading={busy} data-testid="import-dry-run">
              Check all rows
            </Button>
          </Group>
        </Stack>
      )}

      {step === 2 && report && <ReportView report={report} fileName={file?.name ?? 'import'} kind={kind} />}
      {step === 2 && report && (
        <Group justify="space-between" mt="md">
          <Group>
            <Button variant="default" onClick={() => setStep(1)}>
              Back to columns
            </Button>
            <FileButton onChange={choose} accept=".xlsx,.csv,.txt">
              {(props) => (
                <Button variant="default" {...props} data-testid="import-choose-again">
                  Choose the corrected file
                </Button>
              )}
            </FileButton>
          </Group>
          <Button onClick={apply} disabled={report.errorCount > 0 || report.rows === 0} data-testid="import-apply">
            Import {report.rows.toLocaleString()} rows
          </Button>
        </Group>
      )}

      {step === 3 && (
        <Text size="sm" c="dimmed">
          Importing every row in one transaction…
        </Text>
      )}

      {step === 4 && result && (
        <Stack data-testid="import-result">
          {result.creates + result.updates === 0 && result.unchanged > 0 ? (
            <Alert color="gray" icon={<IconCheck size={18} />} title="Nothing to change">
              Every row is already there, as the file says: {result.unchanged.toLocaleString()} {result.unchanged === 1 ? 'row' : 'rows'} left as they were.
            </Alert>
          ) : (
            <Alert color="green" icon={<IconCheck size={18} />} title="Imported">
              {result.creates.toLocaleString()} created, {result.updates.toLocaleString()} updated
              {result.unchanged ? `, ${result.unchanged.toLocaleString()} already there` : ''}.
            </Alert>
          )}
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function ReportView({ report, fileName, kind }: { report: Report; fileName: string; kind: Kind }) {
  return (
    <Stack gap="sm" data-testid="import-report">
      <Group gap="xs">
        <Badge variant="light">{report.rows.toLocaleString()} rows</Badge>
        <Badge variant="light" color="green">
          {report.creates.toLocaleString()} to create
        </Badge>
        <Badge variant="light" color="blue">
          {report.updates.toLocaleString()} to update
        </Badge>
        {report.unchanged > 0 && <Badge variant="light" color="gray">{report.unchanged.toLocaleString()} already there</Badge>}
        <Badge variant="light" color={report.errorCount ? 'red' : 'gray'} data-testid="import-error-count">
          {report.errorCount.toLocaleString()} {report.errorCount === 1 ? 'error' : 'errors'}
        </Badge>
        <Button size="xs" variant="subtle" leftSection={<IconDownload size={14} />} onClick={async () => downloadFile(await callApi('imports.reportFile', { kind, fileName, report }))}>
          Download report (.xlsx)
        </Button>
      </Group>
      {report.notes.map((n) => (
        <Text key={n} size="sm" c="dimmed">
          {n}
        </Text>
      ))}
      {report.errorCount === 0 ? (
        <Alert color="green" icon={<IconCheck size={18} />}>
          Every row passed the checks. Nothing has been saved yet.
        </Alert>
      ) : (
        <>
          <Text size="sm">Fix these in the file, save it, and choose it again. Nothing is imported while any row has an error.</Text>
          <ScrollArea.Autosize mah={320}>
            <Table striped withTableBorder stickyHeader data-testid="import-errors">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={70}>Row</Table.Th>
                  <Table.Th w={180}>Column</Table.Th>
                  <Table.Th>Problem</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.errors.map((e, i) => (
                  <Table.Tr key={i} data-testid="import-error-row" data-row={e.row} data-column={e.column}>
                    <Table.Td className="tabular">{e.row || ''}</Table.Td>
                    <Table.Td>{e.column}</Table.Td>
                    <Table.Td>{e.message}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
          {report.errorCount > report.errors.length && (
            <Text size="xs" c="dimmed">
              The first {report.errors.length.toLocaleString()} of {report.errorCount.toLocaleString()} errors are shown; the downloaded report lists the same.
            </Text>
          )}
        </>
      )}
    </Stack>
  );
}
