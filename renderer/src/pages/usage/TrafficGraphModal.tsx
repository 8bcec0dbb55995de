import { BarChart } from '@mantine/charts';
import { Alert, Group, Loader, Modal, SegmentedControl, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { OutputOf } from '../../../../shared/api/contract';
import { useApiQuery } from '../../api/hooks';
import { LoadError } from '../../components/LoadError';
import { chartScale, daysBefore, formatBytes, utcDay } from './bytes';

type Service = Pick<OutputOf<'services.get'>, 'id' | 'description' | 'login' | 'subscriptionId'>;

const RANGES = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'custom', label: 'Dates' },
];

/** A service's download and upload per day over a chosen range, with this month's total. */
export function TrafficGraphModal({ service, onClose }: { service: Service; onClose: () => void }) {
  const today = utcDay(new Date());
  const [range, setRange] = useState('30');
  const [custom, setCustom] = useState({ from: daysBefore(today, 29), to: today });
  const from = range === 'custom' ? custom.from : daysBefore(today, Number(range) - 1);
  const to = range === 'custom' ? custom.to : today;
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  const daily = useApiQuery('usage.daily', { serviceId: service.id, from, to }, { enabled: valid, keepPrevious: true });
  const month = useApiQuery('usage.month', { subscriptionId: service.subscriptionId });
  const thisMonth = month.data?.services.find((s) => s.serviceId === service.id);

  const days = daily.data?.days ?? [];
  const scale = chartScale(Math.max(1, ...days.map((d) => Math.max(d.downloadBytes, d.uploadBytes))));
  const data = days.map((d) => ({ day: d.day.slice(5), Download: d.downloadBytes / scale.divisor, Upload: d.uploadBytes / scale.divisor }));

  return (
    <Modal opened onClose={onClose} size="xl" title={`Traffic: ${service.description}${service.login ? ` (${service.login})` : ''}`}>
      <Stack gap="md" data-testid="traffic-graph">
        <Group justify="space-between" align="flex-end">
          <SegmentedControl data={RANGES} value={range} onChange={setRange} aria-label="Range" />
          {range === 'custom' && (
            <Group gap="xs">
              <TextInput type="date" label="From" value={custom.from} onChange={(e) => setCustom({ ...custom, from: e.currentTarget.value })} error={!valid ? 'From must be on or before To' : undefined} />
              <TextInput type="date" label="To" value={custom.to} onChange={(e) => setCustom({ ...custom, to: e.currentTarget.value })} />
            </Group>
          )}
        </Group>
        <SimpleGrid cols={3}>
          <Total label={`Download, ${from} to ${to}`} bytes={daily.data?.downloadBytes} testId="range-download" />
          <Total label="Upload, same days" bytes={daily.data?.uploadBytes} testId="range-upload" />
          <Total label="This month (download + upload)" bytes={thisMonth ? thisMonth.downloadBytes + thisMonth.uploadBytes : undefined} testId="month-total" />
        </SimpleGrid>
        {daily.error ? (
          <LoadError what="the traffic" error={daily.error} onRetry={() => daily.refetch()} />
        ) : daily.isLoading ? (
          <Loader size="sm" />
        ) : daily.data && daily.data.downloadBytes + daily.data.uploadBytes === 0 ? (
          <Alert color="gray" data-testid="no-traffic">No traffic counted for this service from {from} to {to}. Usage comes from RADIUS accounting or the router's counters.</Alert>
        ) : (
          <BarChart
            h={320}
            data={data}
            dataKey="day"
            unit={` ${scale.unit}`}
            withLegend
            valueFormatter={(v) => v.toLocaleString(undefined, { maximumFractionDigits: 2 })}
            series={[
              { name: 'Download', color: 'blue.6' },
              { name: 'Upload', color: 'teal.5' },
            ]}
            data-testid="traffic-chart"
          />
        )}
        <Text size="xs" c="dimmed">Days are counted in UTC. 1 GB = 1,000,000,000 bytes.</Text>
      </Stack>
    </Modal>
  );
}

function Total({ label, bytes, testId }: { label: string; bytes: number | undefined; testId: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} className="tabular" data-testid={testId}>
        {bytes === undefined ? '…' : formatBytes(bytes)}
      </Text>
    </Stack>
  );
}
