import { Button, Group, Loader, Modal, Paper, Select, Stack, Switch, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { catalogApi } from '../../../../shared/api/catalog';
import type { OutputOf } from '../../../../shared/api/contract';
import { callApi } from '../../api/hooks';
import { ActiveBadge } from '../../components/ActiveBadge';
import { FormAlert } from '../../components/FormAlert';
import { LoadError } from '../../components/LoadError';
import { PageHeader } from '../../components/PageHeader';
import { SearchField } from '../../components/SearchField';
import { PagedTable } from '../../components/RecordTable';
import { useMoney } from '../../lib/money';
import { usePagedList } from '../../lib/use-paged-list';
import { useFormSubmit } from '../../lib/use-form-submit';
import { FormModalFooter } from '../../components/FormModalFooter';

type PackageSummary = OutputOf<'packages.list'>['rows'][number];
type PackageDetail = OutputOf<'packages.get'>;

/** Packages: bundles of plans and products sold together ("Bronze", "Silver", "Gold"). */
export function PackagesPage() {
  const navigate = useNavigate();
  const { money, error: moneyError } = useMoney();
  const [activeFilter, setActiveFilter] = useState<string | null>('active');
  const [creating, setCreating] = useState(false);
  const { text, setText, query, list, paging } = usePagedList('packages.list', { active: activeFilter === null ? undefined : activeFilter === 'active' });

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
          <SearchField label="Search packages" placeholder="Search packages by name" value={text} onSearch={setText} style={{ flex: '1 1 260px' }} />
          <Select
            aria-label="Offered"
            placeholder="Active or inactive"
            data={[
              { value: 'active', label: 'Active' },
              { value: 'inactive', label: 'Inactive' },
            ]}
            value={activeFilter}
            onChange={setActiveFilter}
            clearable
            w={190}
          />
        </Group>
      </Paper>
      <PagedTable<PackageSummary>
        what="packages"
        list={list}
        paging={paging}
        noRecordsText={query ? 'No package matches.' : 'No packages yet.'}
        onRowClick={(record) => navigate(`/catalog/packages/${record.id}`)}
        rowAttributes={(record) => ({
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
      ? await run('packages.update', { id: pkg.id, ...values })
      : await run('packages.create', values);
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
          <FormModalFooter onCancel={onClose} submitting={form.submitting} />
        </Stack>
      </form>
    </Modal>
  );
}
