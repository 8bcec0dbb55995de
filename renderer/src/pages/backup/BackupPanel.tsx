import { Alert, Badge, Button, Group, Loader, Modal, NumberInput, Paper, Progress, ScrollArea, SimpleGrid, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconDatabaseExport, IconRestore } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { OutputOf } from '../../../../shared/api/contract';
import { backupsApi } from '../../../../shared/api/backups';
import { ApiError } from '../../../../shared/api/errors';
import { callApi, useApiQuery } from '../../api/hooks';
import { FormAlert } from '../../components/FormAlert';
import { LoadError } from '../../components/LoadError';
import { formatDateTime } from '../../lib/format';
import { useConfirmAction } from '../../lib/use-confirm-action';
import { useFormSubmit } from '../../lib/use-form-submit';

type Settings = OutputOf<'backups.settings'>;
type Run = NonNullable<Settings['last']>;

interface Values extends Record<string, unknown> {
  folder: string;
  retention: number | string;
  daily: boolean;
}

const FIELDS = ['folder', 'retention', 'daily'] as const;

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(0)} kB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e9).toFixed(2)} GB`;
}

/** Backups of the datastore: where and how many, the daily switch, "Back up now", and restoring one. */
export function BackupPanel() {
  const settings = useApiQuery('backups.settings', {});
  if (settings.isLoading) return <Loader />;
  if (!settings.data) return <LoadError what="backup settings" error={settings.error} onRetry={() => settings.refetch()} />;
  return <BackupSection key={settings.data.updatedAt} settings={settings.data} />;
}

function LastBackup({ run, lastSuccess }: { run: Run | null; lastSuccess: Run | null }) {
  if (!run) return <Text size="sm" c="dimmed" data-testid="backup-last">No backup has been taken yet.</Text>;
  return (
    <Stack gap={4} data-testid="backup-last">
      <Group gap="xs">
        <Text size="sm">Last backup: {formatDateTime(run.finishedAt)}</Text>
        <Badge color={run.result === 'ok' ? 'green' : 'red'} variant="light" data-testid="backup-last-result">
          {run.result === 'ok' ? 'Succeeded' : 'Failed'}
        </Badge>
        {run.result === 'ok' && <Text size="sm" c="dimmed">{formatBytes(run.bytes)}, {run.trigger === 'daily' ? 'daily' : 'by hand'}</Text>}
      </Group>
      {run.result === 'failed' && (
        <Text size="sm" c="red" data-testid="backup-last-error">
          {run.message}
          {lastSuccess ? ` The last good backup is from ${formatDateTime(lastSuccess.finishedAt)}.` : ' There is no good backup yet.'}
        </Text>
      )}
    </Stack>
  );
}

function BackupSection({ settings }: { settings: Settings }) {
  const queryClient = useQueryClient();
  const form = useForm<Values>({ initialValues: { folder: settings.folder ?? '', retention: settings.retention, daily: settings.daily } });
  const { formError, clearFormError, run } = useFormSubmit(form, FIELDS);
  const list = useApiQuery('backups.list', {});
  const [backingUp, setBackingUp] = useState(false);
  // While a backup is written, its progress comes from the settings, asked again a few times a second.
  const live = useApiQuery('backups.settings', {}, { enabled: backingUp, staleTime: 0 });
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [runError, setRunError] = useState<string | null>(null);
  const [restoring, setRestoring] = useState<{ file: string; label: string } | null>(null);
  const [otherFile, setOtherFile] = useState('');

  const save = form.onSubmit(async (v) => {
    if (typeof v.retention !== 'number') {
      form.setFieldError('retention', 'Required');
      return;
    }
    const input = { folder: v.folder.trim() || null, retention: v.retention, daily: v.daily };
    const saved = await run(backupsApi['backups.updateSettings'].input, input, () => callApi('backups.updateSettings', input));
    if (!saved) return;
    await queryClient.invalidateQueries({ queryKey: ['backups.settings'] });
    await queryClient.invalidateQueries({ queryKey: ['backups.list'] });
    notifications.show({ color: 'green', title: 'Backup settings saved', message: saved.effectiveFolder, withBorder: true });
  });

  const backUpNow = async () => {
    setRunError(null);
    setBackingUp(true);
    setProgress(null);
    const poll = setInterval(() => {
      void live.refetch().then((r) => {
        const running = r.data?.running;
        if (running && running.totalPages > 0) setProgress({ done: running.donePages, total: running.totalPages });
      });
    }, 250);
    try {
      const done = await callApi('backups.run', {});
      notifications.show({ color: 'green', title: 'Backup written', message: `${done.file} (${formatBytes(done.bytes)})`, withBorder: true });
    } catch (error) {
      setRunError(error instanceof ApiError ? error.message : String(error));
    } finally {
      clearInterval(poll);
      setBackingUp(false);
      await queryClient.invalidateQueries({ queryKey: ['backups.settings'] });
      await queryClient.invalidateQueries({ queryKey: ['backups.list'] });
    }
  };

  return (
    <Paper withBorder radius="md" p="md" maw={900} data-testid="backup-section">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Backups</Title>
        <Button leftSection={<IconDatabaseExport size={16} />} onClick={() => void backUpNow()} loading={backingUp} data-testid="backup-now">
          Back up now
        </Button>
      </Group>
      <Stack gap="md">
        <LastBackup run={settings.last} lastSuccess={settings.lastSuccess} />
        {backingUp && (
          <Stack gap={4} data-testid="backup-progress">
            <Text size="sm">Backing up… {progress ? `${Math.round((100 * progress.done) / progress.total)}%` : ''}</Text>
            <Progress value={progress ? (100 * progress.done) / progress.total : 0} animated />
          </Stack>
        )}
        {runError && (
          <Alert color="red" icon={<IconAlertTriangle size={18} />} withCloseButton onClose={() => setRunError(null)} data-testid="backup-error">
            {runError}
          </Alert>
        )}

        <form onSubmit={save} noValidate data-testid="backup-settings-form">
          <Stack gap="sm">
            <FormAlert message={formError} onClose={clearFormError} />
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
              <TextInput label="Backup folder" description="A full path on the computer running Towerline; blank: inside the data directory" placeholder={settings.defaultFolder} {...form.getInputProps('folder')} style={{ gridColumn: 'span 2' }} />
              <NumberInput label="Keep" description="The newest backups kept; older ones are deleted" suffix=" backups" min={1} max={1000} allowDecimal={false} clampBehavior="none" {...form.getInputProps('retention')} />
            </SimpleGrid>
            <Group justify="space-between">
              <Switch label="Back up every day (and at start when the last backup is more than a day old)" {...form.getInputProps('daily', { type: 'checkbox' })} />
              <Button type="submit" variant="default" loading={form.submitting}>
                Save backup settings
              </Button>
            </Group>
          </Stack>
        </form>

        <Stack gap="xs">
          <Text fw={500} size="sm">
            Backups in {list.data?.folder ?? settings.effectiveFolder}
          </Text>
          {list.isLoading ? (
            <Loader size="sm" />
          ) : !list.data ? (
            <LoadError what="backups" error={list.error} onRetry={() => list.refetch()} />
          ) : list.data.rows.length === 0 ? (
            <Text size="sm" c="dimmed">
              No backups in this folder yet.
            </Text>
          ) : (
            <ScrollArea.Autosize mah={320}>
              <Table striped highlightOnHover data-testid="backup-list">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Taken</Table.Th>
                    <Table.Th>File</Table.Th>
                    <Table.Th ta="right">Size</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.data.rows.map((b) => (
                    <Table.Tr key={b.name} data-testid="backup-row">
                      <Table.Td>{formatDateTime(b.takenAt)}</Table.Td>
                      <Table.Td>
                        <Text size="sm" ff="monospace">
                          {b.name}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right">{formatBytes(b.bytes)}</Table.Td>
                      <Table.Td ta="right">
                        <Button size="xs" variant="light" color="orange" leftSection={<IconRestore size={14} />} onClick={() => setRestoring({ file: b.file, label: `the backup taken ${formatDateTime(b.takenAt)}` })}>
                          Restore
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
          )}
          <Group align="flex-end" gap="sm">
            <TextInput
              label="Restore from another file"
              description="The full path of a Towerline backup on the computer running Towerline"
              placeholder="/media/usb/towerline-2026-12-01-090000Z.sqlite"
              value={otherFile}
              onChange={(e) => setOtherFile(e.currentTarget.value)}
              style={{ flex: 1 }}
            />
            <Button variant="default" disabled={!otherFile.trim()} onClick={() => setRestoring({ file: otherFile.trim(), label: otherFile.trim() })}>
              Restore…
            </Button>
          </Group>
        </Stack>
      </Stack>
      <RestoreModal target={restoring} onClose={() => setRestoring(null)} />
    </Paper>
  );
}

/** Says what a restore does before it does it; shows a refusal where the user looks (in the dialog). */
function RestoreModal({ target, onClose }: { target: { file: string; label: string } | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const { busy, error, close, run } = useConfirmAction(onClose, 'Something went wrong; the datastore was not replaced.');
  const restore = () =>
    run(async () => {
      if (!target) return;
      const done = await callApi('backups.restore', { file: target.file });
      // Everything on screen came from the datastore that was just replaced.
      await queryClient.invalidateQueries();
      notifications.show({ color: 'green', title: 'Backup restored', message: `The replaced datastore was kept as ${done.keptAside}.`, withBorder: true, autoClose: false });
    });
  return (
    <Modal opened={target !== null} onClose={close} title="Restore a backup?" size="lg" data-testid="restore-modal">
      <Stack gap="sm">
        <Text size="sm">
          Towerline will replace the datastore in use with {target?.label}. Everything entered since that backup was taken (subscriptions, payments, invoices, billing runs) will no longer be shown.
        </Text>
        <Text size="sm">
          The backup is checked first: a damaged file, one from a newer version of Towerline, or one that is not a Towerline backup is refused and nothing changes. The datastore in use now is not deleted:
          it is kept in the data directory as <Text span ff="monospace">towerline-replaced-…sqlite</Text>.
        </Text>
        <Text size="sm" c="dimmed">
          Other calls wait a moment while the datastore is swapped; a billing run must finish first.
        </Text>
        {error && (
          <Alert color="red" icon={<IconAlertTriangle size={18} />} data-testid="restore-error">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close} disabled={busy}>
            Cancel
          </Button>
          <Button color="orange" leftSection={<IconRestore size={16} />} loading={busy} onClick={() => void restore()} data-testid="restore-confirm">
            Replace the datastore with this backup
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
