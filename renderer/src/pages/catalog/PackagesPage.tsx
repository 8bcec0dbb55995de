import { Button, Group, Loader, Modal, Paper, Select, Stack, Switch, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { catalogApi } from '../../../../shared/api/catalog';
import type { OutputOf } from '../../../../shared/api/contract';
import { callApi, useApiQuery } from '../../api/hooks';
import { ActiveBadge } from '../../components/ActiveBadge';
import { FormAlert } from '../../components/FormAlert';
import { LoadError } from '../../components/LoadError';
import { PageHeader } from '../../components/PageHeader';
import { useMoney } from '../../lib/money';
import { useSettled } from '../../lib/use-debounced';
import { useFormSubmit } from '../../lib/use-form-submit';

type PackageSummary = OutputOf<'packages.list'>['rows'][number];
type PackageDetail = OutputOf<'packages.get'>;

const PAGE_SIZES = [25, 50, 100];

/** Packages: bundles of plans and products sold together ("Bronze", "Silver", "Gold"). */
export function PackagesPage() {
  const navigate = useNavigate();
  const { money, error: moneyError } = useMoney();
  const [text, setText] = useState('');
  const query = useSettled(text.trim(), 250);
  const [activeFilter, setActiveFilter] = useState<string | null>('active');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [creating, setCreating] = useState(false);
  const list = useApiQuery(
    'packages.list',
    { query: query || undefined, active: activeFilter === null ? undefined : activeFilter === 'active', page, pageSize },
    { keepPrevious: true },
  );

  if (moneyError) return <LoadError what="the currency settings" error={moneyError} />;
  if (!money) return <Loader m="xl" />;

  return (
    <>
      <PageHeader
        title="Packages"
        description="Bundles of plans and products, with their contracts and profile questions."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
            New package
          </Button>
        }
      />
      <Paper withBorder radius="md" p="sm" mb="sm">
        <Group gap="sm">
          <TextInput
            placeholder="Search packages by name"
            aria-label="Search packages"
            leftSection={<IconSearch size={16} />}
            value={text}
            onChange={(e) => {
              setText(e.currentTarget.value);
              setPage(1);
            }}
            style={{ flex: '1 1 260px' }}
          />
          <Select
            aria-label="Offered"
            placeholder="Active or inactive"
            data={[
              { value: 'active', label: 'Active' },
              { value: 'inactive', label: 'Inactive' },
            ]}
            value={activeFilter}
            onChange={(v) => {
              setActiveFilter(v);
              setPage(1);
            }}
            clearable
            w={190}
          />
        </Group>
      </Paper>
      {list.error && !list.data ? (
        <LoadError what="packages" error={list.error} onRetry={() => list.refetch()} />
      ) : (
        <DataTable<PackageSummary>
          withTableBorder
          borderRadius="md"
          highlightOnHover
          striped
          minHeight={200}
          verticalSpacing="xs"
          fetching={list.isFetching}
          records={list.data?.rows ?? []}
          totalRecords={list.data?.total ?? 0}
          page={page}
          onPageChange={setPage}
          recordsPerPage={pageSize}
          recordsPerPageOptions={PAGE_SIZES}
          onRecordsPerPageChange={(size) => {
            setPageSize(size);
            setPage(1);
          }}
          noRecordsText={query ? 'No package matches.' : 'No packages yet.'}
          onRowClick={({ record }) => navigate(`/catalog/packages/${record.id}`)}
          customRowAttributes={(record) => ({
            'data-testid': 'package-row',
            tabIndex: 0,
            onKeyDown: (event: React.KeyboardEvent) => {
              if (event.key === 'Enter') navigate(`/catalog/packages/${record.id}`);
            },
          })}
          columns={[
            { accessor: 'name', title: 'Name' },
            { accessor: 'description', title: 'Description', ellipsis: true, render: (k) => k.description ?? '' },
            { accessor: 'productCount', title: 'Products', width: 100, textAlign: 'right', cellsClassName: 'tabular' },
            { accessor: 'recurringCents', title: 'Recurring', width: 120, textAlign: 'right', cellsClassName: 'tabular', render: (k) => money.format(k.recurringCents) },
            { accessor: 'accountPackageCount', title: 'Subscribers', width: 120, textAlign: 'right', cellsClassName: 'tabular' },
            { accessor: 'active', title: 'Active', width: 100, render: (k) => <ActiveBadge active={k.active} /> },
          ]}
        />
      )}
      {creating && <PackageModal onClose={() => setCreating(false)} onSaved={(saved) => navigate(`/catalog/packages/${saved.id}`)} />}
    </>
  );
}

interface Values extends Record<string, unknown> {
  name: string;
  description: string;
  active: boolean;
}
const FIELDS = ['name', 'description', 'active'] as const;

/** A package's own fields: name, description, active. Its products and terms are edited on its page. */
export function PackageModal({ pkg, onClose, onSaved }: { pkg?: PackageDetail; onClose: () => void; onSaved?: (saved: PackageDetail) => void }) {
  const queryClient = useQueryClient();
  const form = useForm<Values>({ initialValues: { name: pkg?.name ?? '', description: pkg?.description ?? '', active: pkg?.active ?? true } });
  const { formError, clearFormError, run } = useFormSubmit(form, FIELDS);

  const submit = form.onSubmit(async (values) => {
    const saved = pkg
      ? await run(catalogApi['packages.update'].input, { id: pkg.id, ...values }, () => callApi('packages.update', { id: pkg.id, ...values } as never))
      : await run(catalogApi['packages.create'].input, values, () => callApi('packages.create', values as never));
    if (!saved) return;
    await queryClient.invalidateQueries();
    notifications.show({ color: 'green', title: pkg ? 'Package saved' : 'Package created', message: saved.name, withBorder: true });
    onClose();
    onSaved?.(saved);
  });

  return (
    <Modal opened onClose={onClose} title={pkg ? `Edit ${pkg.name}` : 'New package'} centered size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormAlert message={formError} onClose={clearFormError} />
          <TextInput label="Name" withAsterisk data-autofocus placeholder="e.g. Silver" {...form.getInputProps('name')} />
          <Textarea label="Description" autosize minRows={2} {...form.getInputProps('description')} />
          <Switch label="Active (offered to new subscribers)" {...form.getInputProps('active', { type: 'checkbox' })} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
