import { ActionIcon, Button, Group, Menu, Paper, Stack, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowsExchange, IconDots, IconPackage, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import type { OutputOf } from '../../../../../shared/api/contract';
import { callApi, useApiQuery } from '../../../api/hooks';
import { ConfirmDelete } from '../../../components/ConfirmDelete';
import { LoadError } from '../../../components/LoadError';
import { formatDate } from '../../../lib/format';
import { AccountPackageModal, AddPackageProductModal } from './AccountPackageModal';
import { MoveWizard } from './MoveWizard';

type Subscription = OutputOf<'subscriptions.get'>;
type AccountPackage = OutputOf<'accountPackages.get'>;

type Open = { action: 'edit' | 'addProduct' | 'move'; accountPackage: AccountPackage } | 'new' | null;

/** The packages provisioned to a subscription, above its services: provision, edit, add a product, delete. */
export function AccountPackagesSection({ subscription }: { subscription: Subscription }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<Open>(null);
  const [deleting, setDeleting] = useState<AccountPackage | null>(null);
  const list = useApiQuery('accountPackages.listBySubscription', { subscriptionId: subscription.id });
  const closed = subscription.status === 'Cancelled' || subscription.status === 'Completed';

  return (
    <Paper withBorder p="sm" radius="md" data-testid="account-packages">
      <Stack gap="xs">
        <Group justify="space-between">
          <Group gap={6}>
            <IconPackage size={16} />
            <Text fw={600} size="sm" c="dimmed" tt="uppercase" lts={0.4}>
              Account packages
            </Text>
          </Group>
          <Tooltip label={`A ${subscription.status} subscription takes no new packages; reopen it first.`} disabled={!closed}>
            <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => setOpen('new')} disabled={closed}>
              Provision package
            </Button>
          </Tooltip>
        </Group>
        {list.error && !list.data ? (
          <LoadError what="account packages" error={list.error} onRetry={() => list.refetch()} />
        ) : (
          <DataTable<AccountPackage>
            withTableBorder={false}
            highlightOnHover
            verticalSpacing={6}
            minHeight={list.data?.length ? undefined : 90}
            fetching={list.isLoading}
            records={list.data ?? []}
            noRecordsText="No packages on this subscription."
            noRecordsIcon={<IconPackage size={20} />}
            onRowClick={({ record }) => setOpen({ action: 'edit', accountPackage: record })}
            customRowAttributes={(record) => ({
              tabIndex: 0,
              'data-testid': 'account-package-row',
              'data-account-package-id': record.id,
              onKeyDown: (event: React.KeyboardEvent) => {
                if (event.key === 'Enter' && event.target === event.currentTarget) setOpen({ action: 'edit', accountPackage: record });
              },
            })}
            columns={[
              { accessor: 'packageName', title: 'Package', render: (a) => <Text size="sm" fw={500} data-testid="account-package-name">{a.packageName}</Text> },
              { accessor: 'contractName', title: 'Contract', render: (a) => <span data-testid="account-package-contract">{a.contractName ?? ''}</span> },
              { accessor: 'startDate', title: 'Start', render: (a) => <span className="tabular" data-testid="account-package-start">{formatDate(a.startDate)}</span> },
              {
                accessor: 'endDate',
                title: 'End',
                render: (a) =>
                  a.endDate ? (
                    <span className="tabular" data-testid="account-package-end">
                      {formatDate(a.endDate)}
                    </span>
                  ) : (
                    <Text span size="sm" c="dimmed" data-testid="account-package-end">
                      indefinite
                    </Text>
                  ),
              },
              { accessor: 'services', title: 'Services', textAlign: 'right', render: (a) => <span className="tabular" data-testid="account-package-services">{a.services.length}</span> },
              {
                accessor: 'actions',
                title: '',
                width: 50,
                render: (a) => (
                  <Group justify="flex-end" onClick={(e) => e.stopPropagation()}>
                    <Menu position="bottom-end" withinPortal shadow="md">
                      <Menu.Target>
                        <ActionIcon variant="subtle" color="gray" aria-label={`Actions for package ${a.packageName}`}>
                          <IconDots size={16} />
                        </ActionIcon>
                      </Menu.Target>
                      <Menu.Dropdown>
                        <Menu.Item leftSection={<IconPencil size={14} />} onClick={() => setOpen({ action: 'edit', accountPackage: a })}>
                          Edit
                        </Menu.Item>
                        <Menu.Item leftSection={<IconPlus size={14} />} onClick={() => setOpen({ action: 'addProduct', accountPackage: a })}>
                          Add product
                        </Menu.Item>
                        <Menu.Item leftSection={<IconArrowsExchange size={14} />} disabled={closed || (a.endDate !== null && a.endDate < new Date().toISOString().slice(0, 10))} onClick={() => setOpen({ action: 'move', accountPackage: a })}>
                          Upgrade / Downgrade
                        </Menu.Item>
                        <Menu.Divider />
                        <Menu.Item leftSection={<IconTrash size={14} />} color="red" onClick={() => setDeleting(a)}>
                          Delete
                        </Menu.Item>
                      </Menu.Dropdown>
                    </Menu>
                  </Group>
                ),
              },
            ]}
          />
        )}
      </Stack>
      {open === 'new' && <AccountPackageModal subscription={subscription} onClose={() => setOpen(null)} />}
      {open !== null && open !== 'new' && open.action === 'edit' && <AccountPackageModal subscription={subscription} accountPackage={open.accountPackage} onClose={() => setOpen(null)} />}
      {open !== null && open !== 'new' && open.action === 'move' && <MoveWizard accountPackage={open.accountPackage} onClose={() => setOpen(null)} />}
      {open !== null && open !== 'new' && open.action === 'addProduct' && <AddPackageProductModal accountPackage={open.accountPackage} onClose={() => setOpen(null)} />}
      <ConfirmDelete
        opened={deleting !== null}
        title="Delete account package"
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          const name = deleting.packageName;
          await callApi('accountPackages.delete', { id: deleting.id });
          await queryClient.invalidateQueries();
          notifications.show({ color: 'green', title: 'Account package deleted', message: `${name} and its services are gone; its charges left the open invoices.`, withBorder: true });
        }}
      >
        Delete <Text span fw={600}>{deleting?.packageName}</Text> and its {deleting?.services.length ?? 0} service{deleting?.services.length === 1 ? '' : 's'}? Its charges are taken off open invoices. A package with charges on a closed invoice cannot be deleted; credit those first.
      </ConfirmDelete>
    </Paper>
  );
}
