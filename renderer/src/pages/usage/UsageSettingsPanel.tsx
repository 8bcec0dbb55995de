import { Alert, Button, Group, Loader, NumberInput, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import type { OutputOf } from '../../../../shared/api/contract';
import { useApiQuery } from '../../api/hooks';
import { FormAlert } from '../../components/FormAlert';
import { LoadError } from '../../components/LoadError';
import { formatDateTime } from '../../lib/format';
import { useFormSubmit } from '../../lib/use-form-submit';

type Settings = OutputOf<'usage.settings'>;

interface Values extends Record<string, unknown> {
  routerosPollMinutes: number | string;
  staleSessionHours: number | string;
  hourlyDays: number | string;
  dailyDays: number | string;
  sessionDays: number | string;
}

const FIELDS = ['routerosPollMinutes', 'staleSessionHours', 'hourlyDays', 'dailyDays', 'sessionDays'] as const;

const valuesOf = (s: Settings): Values => ({
  routerosPollMinutes: s.routerosPollMinutes,
  staleSessionHours: s.staleSessionHours,
  hourlyDays: s.hourlyDays,
  dailyDays: s.dailyDays,
  sessionDays: s.sessionDays,
});

/** How often routers without RADIUS are read, when a silent session counts as ended, and how long usage is kept. */
export function UsageSettingsPanel() {
  const settings = useApiQuery('usage.settings', {});
  if (settings.isLoading) return <Loader />;
  if (!settings.data) return <LoadError what="usage settings" error={settings.error} onRetry={() => settings.refetch()} />;
  return <UsageSettingsForm key={settings.data.updatedAt} settings={settings.data} />;
}

function UsageSettingsForm({ settings }: { settings: Settings }) {
  const queryClient = useQueryClient();
  const form = useForm<Values>({ initialValues: valuesOf(settings) });
  const { formError, clearFormError, run } = useFormSubmit(form, FIELDS);

  const submit = form.onSubmit(async (v) => {
    // A cleared box is left out, so the contract names it Required rather than saving a blank.
    const input: Record<string, number | undefined> = {};
    for (const key of FIELDS) {
      const value = v[key];
      input[key] = typeof value === 'number' ? value : undefined;
      if (input[key] === undefined) {
        form.setFieldError(key, 'Required');
        return;
      }
    }
    const saved = await run('usage.updateSettings', input);
    if (!saved) return;
    await queryClient.invalidateQueries({ queryKey: ['usage.settings'] });
    notifications.show({ color: 'green', title: 'Usage settings saved', message: `Routers without RADIUS are read every ${saved.routerosPollMinutes} min`, withBorder: true });
  });

  const number = (label: string, description: string, key: (typeof FIELDS)[number], min: number, max: number) => (
    <NumberInput label={label} description={description} min={min} max={max} allowDecimal={false} clampBehavior="none" withAsterisk data-testid={`usage-setting-${key}`} {...form.getInputProps(key)} />
  );

  return (
    <form onSubmit={submit} noValidate data-testid="usage-settings-form">
      <Stack gap="md" maw={900}>
        <FormAlert message={formError} onClose={clearFormError} />
        <Paper withBorder radius="md" p="md">
          <Title order={4} mb="sm">
            Sessions
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
            {number('API poll interval (minutes)', 'How often routers whose usage comes from their API are read', 'routerosPollMinutes', 1, 1440)}
            {number('Session taken as ended after (hours)', 'An online session no report mentions for this long lost its Stop', 'staleSessionHours', 1, 720)}
          </SimpleGrid>
        </Paper>
        <Paper withBorder radius="md" p="md">
          <Title order={4} mb="sm">
            Keeping usage
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" verticalSpacing="sm">
            {number('Hourly figures (days)', 'The hourly view of a day', 'hourlyDays', 1, 366)}
            {number('Daily figures (days)', 'Graphs and month totals', 'dailyDays', 31, 3660)}
            {number('Ended sessions (days)', 'The session history', 'sessionDays', 1, 3660)}
          </SimpleGrid>
          <Alert mt="md" color="gray" variant="light" icon={<IconInfoCircle size={18} />}>
            The daily cleanup removes what is older; data caps read the daily figures, so keep those at least a month.
          </Alert>
        </Paper>
        <Group justify="space-between">
          <Text size="sm" c="dimmed" data-testid="usage-last-cleanup">
            {settings.lastCleanupAt ? `Last cleanup ${formatDateTime(settings.lastCleanupAt)}` : 'No cleanup has run yet'}
          </Text>
          <Button type="submit" loading={form.submitting}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
