import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { OutputOf } from '../../../../../shared/api/contract';
import type { DEVICE_STATUSES } from '../../../../../shared/api/services';
import { callApi } from '../../../api/hooks';
import { usePagedList } from '../../../lib/use-paged-list';
import { ConfirmDelete } from '../../../components/ConfirmDelete';
import { PagedTable, openOnEnter } from '../../../components/RecordTable';
import { RowActions } from '../../../components/RowActions';
import { formatDate } from '../../../lib/format';
import { DeviceFormModal } from '../../services/DeviceFormModal';
import { ExportMenu } from '../../io/ExportMenu';
import { ImportButton } from '../../io/ImportButton';

type Subscription = OutputOf<'subscriptions.get'>;
type Device = OutputOf<'devices.get'>;

const STATUS_COLORS: Record<(typeof DEVICE_STATUSES)[number], string> = { Active: 'green', Spare: 'blue', Faulty: 'red', Returned: 'gray' };

const deviceName = (d: Device) => [d.type, d.vendor, d.model].filter(Boolean).join(' ');

/** Customer equipment on the subscription: CPE radios, routers, ONTs. */
export function DevicesTab({ subscription }: { subscription: Subscription }) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Device | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Device | null>(null);
  const { list, paging } = usePagedList('devices.listBySubscription', { subscriptionId: subscription.id }, 25);

  return (
    <Stack gap="sm" data-testid="devices-panel">
      <Group justify="flex-end">
        <ImportButton kind="devices" />
        <ExportMenu list="devices" filter={{ subscriptionId: subscription.id }} />
        <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
          Add device
        </Button>
      </Group>
      <PagedTable<Device>
        what="devices"
        list={list}
        paging={paging}
        noRecordsText="No devices on this subscription yet."
        onRowClick={(record) => setEditing(record)}
        rowAttributes={(record) => ({ 'data-testid': 'device-row', ...openOnEnter(() => setEditing(record)) })}
        columns={[
          { accessor: 'type', title: 'Type', width: 120 },
          { accessor: 'vendor', title: 'Vendor', render: (d) => d.vendor ?? '' },
          { accessor: 'model', title: 'Model', render: (d) => d.model ?? '' },
          { accessor: 'serial', title: 'Serial', render: (d) => <span className="tabular">{d.serial ?? ''}</span> },
          { accessor: 'macAddress', title: 'MAC', render: (d) => <span className="tabular">{d.macAddress ?? ''}</span> },
          { accessor: 'managementIp', title: 'Management IP', render: (d) => <span className="tabular">{d.managementIp ?? ''}</span> },
          { accessor: 'firmware', title: 'Firmware', render: (d) => d.firmware ?? '' },
          { accessor: 'installDate', title: 'Installed', render: (d) => formatDate(d.installDate) },
          { accessor: 'location', title: 'Location', ellipsis: true, render: (d) => d.location ?? '' },
          { accessor: 'serviceDescription', title: 'Service', ellipsis: true, render: (d) => d.serviceDescription ?? <Text span size="sm" c="dimmed">None</Text> },
          {
            accessor: 'status',
            title: 'Status',
            width: 100,
            render: (d) => (
              <Badge color={STATUS_COLORS[d.status]} variant="light" radius="sm">
                {d.status}
              </Badge>
            ),
          },
          { accessor: 'actions', title: '', width: 90, render: (d) => <RowActions name={deviceName(d)} onEdit={() => setEditing(d)} onDelete={() => setDeleting(d)} /> },
        ]}
      />
      {editing && <DeviceFormModal subscriptionId={subscription.id} device={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
      <ConfirmDelete
        opened={deleting !== null}
        title="Delete device"
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await callApi('devices.delete', { id: deleting.id });
          await queryClient.invalidateQueries();
        }}
      >
        Delete <Text span fw={600}>{deleting ? deviceName(deleting) : ''}</Text> from this subscription?
      </ConfirmDelete>
    </Stack>
  );
}
