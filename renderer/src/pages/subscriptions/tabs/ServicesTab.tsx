import { ActionIcon, Badge, Button, Group, Menu, Paper, Stack, Switch, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowsExchange, IconCalendarEvent, IconChartBar, IconDots, IconMapPin, IconPencil, IconPercentage, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { OutputOf } from '../../../../../shared/api/contract';
import type { SERVICE_STATUSES } from '../../../../../shared/api/services';
import { callApi, useApiQuery } from '../../../api/hooks';
import { NetworkStateBadge } from '../../network/NetworkStateBadge';
import { usePagedList } from '../../../lib/use-paged-list';
import { ConfirmDelete } from '../../../components/ConfirmDelete';
import { PagedTable, openOnEnter } from '../../../components/RecordTable';
import { formatDate } from '../../../lib/format';
import { useMoney } from '../../../lib/money';
import { billingLabel, formatSpeeds } from '../../catalog/form-helpers';
import { AddDiscountModal, ChangePlanModal, GeolocateModal, ScheduleChangeModal } from '../../services/ServiceActionModals';
import { ServiceFormModal } from '../../services/ServiceFormModal';
import { AccountPackagesSection } from './AccountPackagesSection';
import { ExportMenu } from '../../io/ExportMenu';
import { ImportButton } from '../../io/ImportButton';
import { PresenceCell, usePresence } from '../../usage/Presence';
import { TrafficGraphModal } from '../../usage/TrafficGraphModal';

type Subscription = OutputOf<'subscriptions.get'>;
type Service = OutputOf<'services.get'>;
type ServiceStatus = (typeof SERVICE_STATUSES)[number];

export const SERVICE_STATUS_COLORS: Record<ServiceStatus, string> = {
  Active: 'green',
  Disabled: 'orange',
  Stopped: 'gray',
  Pending: 'blue',
  Archived: 'dark',
};

type Action = 'edit' | 'schedule' | 'changePlan' | 'discount' | 'geolocate' | 'graph';


/** What addresses a service holds, in one line: "10.20.0.15 + 203.0.113.0/29", "dynamic (any pool)". */
export function serviceIps(s: Service): string {
  const parts: string[] = [];
  if (s.ipv4Assignment === 'permanent' && s.ipv4Address) parts.push(s.ipv4Address);
  if (s.ipv4Assignment === 'dynamic') parts.push(`dynamic (${s.poolNetworkCidr ?? 'any pool'})`);
  if (s.routedNetwork) parts.push(s.routedNetwork);
  return parts.join(' + ');
}

/** A subscription's services with their tariff options and pending changes; every service action starts here. */
export function ServicesTab({ subscription }: { subscription: Subscription }) {
  const queryClient = useQueryClient();
  const { money } = useMoney();
  const [includeArchived, setIncludeArchived] = useState(false);
  const [open, setOpen] = useState<{ action: Action; service: Service } | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Service | null>(null);
  const { list, paging } = usePagedList('services.listBySubscription', { subscriptionId: subscription.id, includeArchived }, 25);
  const closed = subscription.status === 'Cancelled' || subscription.status === 'Completed';
  // Whether each service's router holds what billing says (network sync), shown beside its status.
  const networkStates = useApiQuery('network.serviceStates', { subscriptionId: subscription.id });
  const networkState = (serviceId: number) => networkStates.data?.find((n) => n.serviceId === serviceId);

  const act = (action: Action, service: Service) => setOpen({ action, service });
  // Online now / last seen, for the services of the page on screen.
  const presenceOf = usePresence((list.data?.rows ?? []).map((s) => s.id));

  return (
    <Stack gap="sm" data-testid="services-panel">
      <AccountPackagesSection subscription={subscription} />
      <Group justify="space-between">
        <Switch
          label="Show archived"
          checked={includeArchived}
          onChange={(e) => setIncludeArchived(e.currentTarget.checked)}
        />
        <Group gap="xs">
        <ImportButton kind="services" />
        <ExportMenu list="services" filter={{ subscriptionId: subscription.id }} />
        <Tooltip label={`A ${subscription.status} subscription takes no new services; reopen it first.`} disabled={!closed}>
          <Button leftSection={<IconPlus size={16} />} onClick={() => setOpen('new')} disabled={closed}>
            Add service
          </Button>
        </Tooltip>
        </Group>
      </Group>
      <PagedTable<Service>
        what="services"
        list={list}
        paging={paging}
        noRecordsText={includeArchived ? 'No services on this subscription.' : 'No services on this subscription yet.'}
        onRowClick={(record) => act('edit', record)}
        rowAttributes={(record) => ({ 'data-testid': 'service-row', 'data-service-id': record.id, ...openOnEnter(() => act('edit', record)) })}
        columns={[
          {
            accessor: 'status',
            title: 'Status',
            width: 110,
            render: (s) => (
              <Tooltip label="Stopped because the subscription is Inactive; comes back when it is Active" disabled={!s.stoppedBySubscription}>
                <Badge color={SERVICE_STATUS_COLORS[s.status]} variant="light" radius="sm" data-testid="service-status">
                  {s.status}
                  {s.stoppedBySubscription ? ' (auto)' : ''}
                </Badge>
              </Tooltip>
            ),
          },
          { accessor: 'network', title: 'Network', width: 140, render: (s) => <NetworkStateBadge state={networkState(s.id)} /> },
          {
            accessor: 'planName',
            title: 'Plan',
            render: (s) => (
              <Stack gap={0}>
                <Text size="sm" fw={500}>
                  {s.planName}
                </Text>
                <Text size="xs" c="dimmed">
                  {s.description !== s.planName ? `${s.description} · ` : ''}
                  {s.planKind}
                  {s.downloadKbps !== null ? ` · ${formatSpeeds(s.downloadKbps, s.uploadKbps)}` : ''}
                </Text>
                {s.latitude !== null && s.longitude !== null && (
                  <Group gap={2} wrap="nowrap" data-testid="service-location">
                    <IconMapPin size={12} />
                    <Text size="xs" c="dimmed" className="tabular">
                      {s.latitude.toFixed(5)}, {s.longitude.toFixed(5)}
                    </Text>
                  </Group>
                )}
              </Stack>
            ),
          },
          {
            accessor: 'priceCents',
            title: 'Price',
            textAlign: 'right',
            render: (s) => (
              <Stack gap={0} align="flex-end">
                <Group gap={4} wrap="nowrap">
                  {s.priceOverridden && (
                    <Tooltip label={`Own price; the plan's is ${money ? money.format(s.planPriceCents) : '…'}`}>
                      <Badge size="xs" variant="outline" color="grape" data-testid="price-overridden">
                        own
                      </Badge>
                    </Tooltip>
                  )}
                  <Text size="sm" className="tabular" data-testid="service-price">
                    {money ? money.format(s.priceCents) : ''}
                  </Text>
                </Group>
                <Text size="xs" c="dimmed">
                  {billingLabel(s.ratingMethod, s.payPeriodMonths)}
                  {s.quantity !== '1' ? ` × ${s.quantity}${s.unit ? ` ${s.unit}` : ''}` : ''}
                  {s.discountPercent ? ` · −${s.discountPercent}%` : ''}
                </Text>
              </Stack>
            ),
          },
          { accessor: 'ips', title: 'IPs', render: (s) => <span className="tabular" data-testid="service-ips">{serviceIps(s)}</span> },
          { accessor: 'login', title: 'Login', render: (s) => <span data-testid="service-login">{s.login ?? ''}</span> },
          { accessor: 'qosMode', title: 'QoS', render: (s) => <span data-testid="service-qos">{s.qosMode ?? ''}</span> },
          { accessor: 'routerName', title: 'Router', render: (s) => s.routerName ?? '' },
          { accessor: 'presence', title: 'Online', render: (s) => <PresenceCell presence={presenceOf(s.id)} /> },
          {
            accessor: 'pendingChanges',
            title: 'Pending',
            render: (s) =>
              s.pendingChanges.length === 0 ? (
                ''
              ) : (
                <Stack gap={2} data-testid="service-pending">
                  {s.pendingChanges.map((c) => (
                    <Badge key={c.id} size="sm" variant="light" color="blue" radius="sm" tt="none">
                      {formatDate(c.effectiveDate)}: {c.summary}
                    </Badge>
                  ))}
                </Stack>
              ),
          },
          {
            accessor: 'actions',
            title: '',
            width: 50,
            render: (s) => (
              <Group justify="flex-end" onClick={(e) => e.stopPropagation()}>
                <Menu position="bottom-end" withinPortal shadow="md">
                  <Menu.Target>
                    <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${s.description}`}>
                      <IconDots size={16} />
                    </ActionIcon>
                  </Menu.Target>
                  <Menu.Dropdown>
                    <Menu.Item leftSection={<IconPencil size={14} />} onClick={() => act('edit', s)}>
                      Edit
                    </Menu.Item>
                    <Menu.Item leftSection={<IconCalendarEvent size={14} />} onClick={() => act('schedule', s)}>
                      Schedule a change
                    </Menu.Item>
                    <Menu.Item leftSection={<IconArrowsExchange size={14} />} onClick={() => act('changePlan', s)}>
                      Change plan now
                    </Menu.Item>
                    <Menu.Item leftSection={<IconPercentage size={14} />} onClick={() => act('discount', s)}>
                      Add discount
                    </Menu.Item>
                    <Menu.Item leftSection={<IconMapPin size={14} />} onClick={() => act('geolocate', s)}>
                      Geolocate
                    </Menu.Item>
                    <Menu.Item leftSection={<IconChartBar size={14} />} onClick={() => act('graph', s)}>
                      Traffic graph
                    </Menu.Item>
                    <Menu.Divider />
                    <Menu.Item leftSection={<IconTrash size={14} />} color="red" onClick={() => setDeleting(s)}>
                      Delete
                    </Menu.Item>
                  </Menu.Dropdown>
                </Menu>
              </Group>
            ),
          },
        ]}
      />
      {open === 'new' && <ServiceFormModal subscription={subscription} onClose={() => setOpen(null)} />}
      {open !== null && open !== 'new' && open.action === 'edit' && <ServiceFormModal subscription={subscription} service={open.service} onClose={() => setOpen(null)} />}
      {open !== null && open !== 'new' && open.action === 'schedule' && <ScheduleChangeModal service={open.service} onClose={() => setOpen(null)} />}
      {open !== null && open !== 'new' && open.action === 'changePlan' && <ChangePlanModal service={open.service} onClose={() => setOpen(null)} />}
      {open !== null && open !== 'new' && open.action === 'discount' && <AddDiscountModal service={open.service} onClose={() => setOpen(null)} />}
      {open !== null && open !== 'new' && open.action === 'geolocate' && <GeolocateModal service={open.service} onClose={() => setOpen(null)} />}
      {open !== null && open !== 'new' && open.action === 'graph' && <TrafficGraphModal service={open.service} onClose={() => setOpen(null)} />}
      <ConfirmDelete
        opened={deleting !== null}
        title="Delete service"
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          const result = await callApi('services.delete', { id: deleting.id });
          await queryClient.invalidateQueries();
          notifications.show({ color: result.outcome === 'deleted' ? 'green' : 'blue', title: result.outcome === 'deleted' ? 'Service deleted' : 'Service archived', message: result.message, withBorder: true });
        }}
      >
        Delete <Text span fw={600}>{deleting?.description}</Text>? A service with history to keep (charges, scheduled or applied changes) is archived instead.
      </ConfirmDelete>
    </Stack>
  );
}
