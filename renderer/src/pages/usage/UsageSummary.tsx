import { Group, Paper, Progress, Stack, Table, Text } from '@mantine/core';
import { IconChartBar } from '@tabler/icons-react';
import { useApiQuery } from '../../api/hooks';
import { LoadError } from '../../components/LoadError';
import { formatBytes } from './bytes';

/** This month's usage of a subscription's Internet services, and how much of each data cap is used. */
export function UsageSummary({ subscriptionId }: { subscriptionId: number }) {
  const month = useApiQuery('usage.month', { subscriptionId });
  if (month.error) return <LoadError what="the usage" error={month.error} onRetry={() => month.refetch()} />;
  const m = month.data;
  if (!m || m.services.length === 0) return null;
  return (
    <Paper withBorder radius="md" p="md" data-testid="usage-summary">
      <Group gap="xs" mb="sm" justify="space-between">
        <Group gap="xs">
          <IconChartBar size={18} />
          <Text fw={600}>Usage this month</Text>
          <Text size="sm" c="dimmed">
            {m.from} to {m.to} (UTC)
          </Text>
        </Group>
        <Text fw={600} className="tabular" data-testid="usage-month-total">
          {formatBytes(m.downloadBytes + m.uploadBytes)}
        </Text>
      </Group>
      <Table verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Service</Table.Th>
            <Table.Th ta="right">Download</Table.Th>
            <Table.Th ta="right">Upload</Table.Th>
            <Table.Th w="35%">Data cap</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {m.services.map((s) => {
            const used = s.downloadBytes + s.uploadBytes;
            const percent = s.capBytes ? Math.min(100, (used / s.capBytes) * 100) : 0;
            return (
              <Table.Tr key={s.serviceId} data-testid="usage-service-row">
                <Table.Td>
                  {s.planName}
                  {s.login ? <Text span c="dimmed" size="sm">{` · ${s.login}`}</Text> : null}
                </Table.Td>
                <Table.Td ta="right" className="tabular">{formatBytes(s.downloadBytes)}</Table.Td>
                <Table.Td ta="right" className="tabular">{formatBytes(s.uploadBytes)}</Table.Td>
                <Table.Td>
                  {s.capBytes === null ? (
                    <Text size="sm" c="dimmed">No cap</Text>
                  ) : (
                    <Stack gap={2} data-testid="usage-cap">
                      <Progress value={percent} color={percent >= 100 ? 'red' : percent >= 80 ? 'orange' : 'blue'} aria-label="Data cap used" />
                      <Text size="xs" className="tabular">
                        {formatBytes(used)} of {formatBytes(s.capBytes)} ({percent.toFixed(0)}%)
                      </Text>
                    </Stack>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
