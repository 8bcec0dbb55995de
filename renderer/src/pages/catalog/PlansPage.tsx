import { Button, Group, Loader, Menu, ActionIcon, Paper, Select } from '@mantine/core';
import { IconArchive, IconDots, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { PLAN_KINDS, type PlanKind } from '../../../../shared/api/catalog';
import type { OutputOf } from '../../../../shared/api/contract';
import { callApi } from '../../api/hooks';
import { ActiveBadge } from '../../components/ActiveBadge';
import { ConfirmDeleteRecord } from '../../components/ConfirmDeleteRecord';
import { LoadError } from '../../components/LoadError';
import { PageHeader } from '../../components/PageHeader';
import { SearchField } from '../../components/SearchField';
import { PagedTable } from '../../components/RecordTable';
import { useMoney } from '../../lib/money';
import { usePagedList } from '../../lib/use-paged-list';
import { PAY_PERIOD_LABELS, PlanFormModal } from './PlanFormModal';
import { formatDataCap } from './form-helpers';

type Plan = OutputOf<'plans.get'>;

export function formatSpeed(kbps: number | null): string {
  if (kbps === null) return '';
  return kbps >= 1000 ? `${(kbps / 1000).toLocaleString()} Mbps` : `${kbps} kbps`;
}

/** Plans (tariffs): the sellable services. A plan in use cannot be deleted, only retired. */
export function PlansPage() {
  const queryClient = useQueryClient();
  const { money, error: moneyError } = useMoney();
  const [kind, setKind] = useState<PlanKind | null>(null);
  const [activeFilter, setActiveFilter] = useState<string | null>('active');
  const [editing, setEditing] = useState<Plan | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Plan | null>(null);
  const { text, setText, query, list, paging } = usePagedList('plans.list', {
    kind: kind ?? undefined,
    active: activeFilter === null ? undefined : activeFilter === 'active',
  });

  const retire = async (p: Plan) => {
    try {
      await callApi('plans.retire', { id: p.id });
      await queryClient.invalidateQueries();
      notifications.show({ color: 'green', title: 'Plan retired', message: `${p.name} is no longer offered; services on it keep it.`, withBorder: true });
    } catch (e) {
      notifications.show({ color: 'red', title: 'Not retired', message: e instanceof Error ? e.message : 'Something went wrong.', withBorder: true });
    }
  };

  if (moneyError) return <LoadError what="the currency settings" error={moneyError} />;
  if (!money) return <Loader m="xl" />;

  return (
    <>
      <PageHeader
        title="Plans"
        description="Internet, voice, hosting and custom services, with their prices."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
            New plan
          </Button>
        }
      />
      <Paper withBorder radius="md" p="sm" mb="sm">
        <Group gap="sm">
          <SearchField label="Search plans" placeholder="Search plans by name" value={text} onSearch={setText} style={{ flex: '1 1 260px' }} />
          <Select<PlanKind>
            aria-label="Kind"
            placeholder="Any kind"
            data={PLAN_KINDS.map((k) => ({ value: k, label: k }))}
            value={kind}
            onChange={setKind}
            clearable
            w={160}
          />
          <Select
            aria-label="Offered"
            placeholder="Offered or retired"
            data={[
              { value: 'active', label: 'Offered' },
              { value: 'retired', label: 'Retired' },
            ]}
            value={activeFilter}
            onChange={setActiveFilter}
            clearable
            w={190}
          />
        </Group>
      </Paper>
      <PagedTable<Plan>
        what="plans"
        list={list}
        paging={paging}
        noRecordsText={query || kind ? 'No plan matches.' : 'No plans yet.'}
        onRowClick={(record) => setEditing(record)}
        rowAttributes={(record) => ({ 'data-testid': 'plan-row', 'data-plan-id': record.id })}
        // Widths narrow enough for every column to fit a 1366-pixel screen: long names, speeds and
        // caps wrap rather than push the actions out of sight.
        columns={[
          { accessor: 'name', title: 'Name' },
          { accessor: 'kind', title: 'Kind', width: 90 },
          {
            accessor: 'speeds',
            title: 'Speeds (down / up)',
            render: (p) => (p.kind === 'Internet' ? `${formatSpeed(p.downloadKbps)} / ${formatSpeed(p.uploadKbps)}` : ''),
          },
          { accessor: 'dataCap', title: 'Data cap', width: 150, render: (p) => formatDataCap(p.dataCap) },
          { accessor: 'priceCents', title: 'Price', textAlign: 'right', width: 100, cellsClassName: 'tabular', render: (p) => money.format(p.priceCents) },
          { accessor: 'payPeriodMonths', title: 'Period', width: 100, render: (p) => PAY_PERIOD_LABELS[p.payPeriodMonths] ?? `${p.payPeriodMonths} months` },
          { accessor: 'taxClassName', title: 'Tax', width: 120, render: (p) => p.taxClassName ?? '' },
          { accessor: 'serviceCount', title: 'Services', textAlign: 'right', width: 90, cellsClassName: 'tabular' },
          { accessor: 'active', title: 'Status', width: 100, render: (p) => <ActiveBadge active={p.active} inactiveLabel="Retired" /> },
          {
            accessor: 'actions',
            title: '',
            width: 60,
            render: (p) => (
              <Group justify="flex-end" onClick={(e) => e.stopPropagation()}>
                <Menu position="bottom-end" withinPortal>
                  <Menu.Target>
                    <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${p.name}`}>
                      <IconDots size={16} />
                    </ActionIcon>
                  </Menu.Target>
                  <Menu.Dropdown>
                    <Menu.Item leftSection={<IconPencil size={14} />} onClick={() => setEditing(p)}>
                      Edit
                    </Menu.Item>
                    <Menu.Item leftSection={<IconArchive size={14} />} disabled={!p.active} onClick={() => retire(p)}>
                      Retire
                    </Menu.Item>
                    <Menu.Item leftSection={<IconTrash size={14} />} color="red" onClick={() => setDeleting(p)}>
                      Delete
                    </Menu.Item>
                  </Menu.Dropdown>
                </Menu>
              </Group>
            ),
          },
        ]}
      />
      {editing && <PlanFormModal plan={editing === 'new' ? undefined : editing} money={money} onClose={() => setEditing(null)} />}
      <ConfirmDeleteRecord procedure="plans.delete" record={deleting} name={(r) => r.name} title="Delete plan" onClose={() => setDeleting(null)}>
        A plan in use cannot be deleted; retire it instead.
      </ConfirmDeleteRecord>
    </>
  );
}
