import { Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** One figure with its label, as on the run, preview, aging and balance summaries. */
export function Stat({ label, value, hint, testId, color }: { label: string; value: ReactNode; hint?: ReactNode; testId?: string; color?: string }) {
  return (
    <Paper withBorder radius="md" p="sm">
      <Stack gap={2}>
        <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.4}>
          {label}
        </Text>
        <Text size="lg" fw={700} className="tabular" c={color} data-testid={testId}>
          {value}
        </Text>
        {hint && (
          <Text size="xs" c="dimmed">
            {hint}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
