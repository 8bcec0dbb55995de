import { Button, Modal, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { catalogApi } from '../../../../shared/api/catalog';
import type { OutputOf } from '../../../../shared/api/contract';
import { callApi, useApiQuery } from '../../api/hooks';
import { ActiveBadge } from '../../components/ActiveBadge';
import { ConfirmDeleteRecord } from '../../components/ConfirmDeleteRecord';
import { FormAlert } from '../../components/FormAlert';
import { PageHeader } from '../../components/PageHeader';
import { RecordTable } from '../../components/RecordTable';
import { RowActions } from '../../components/RowActions';
import { useFormSubmit } from '../../lib/use-form-submit';
import { FormModalFooter } from '../../components/FormModalFooter';

type TaxClass = OutputOf<'taxClasses.list'>[number];

interface Values extends Record<string, unknown> {
  name: string;
  ratePercent: string;
  active: boolean;
}
const FIELDS = ['name', 'ratePercent', 'active'] as const;

/** Tax classes: the rates plans are taxed at. The list is short and comes whole. */
export function TaxClassesPage() {
  const [editing, setEditing] = useState<TaxClass | 'new' | null>(null);
  const [deleting, setDeleting] = useState<TaxClass | null>(null);
  const list = useApiQuery('taxClasses.list', {});

  return (
    <>
      <PageHeader
        title="Tax classes"
        description="The tax rates plans are charged with."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
            New tax class
          </Button>
        }
      />
      <RecordTable<TaxClass>
        what="tax classes"
        list={list}
        noRecordsText="No tax classes yet."
        onRowClick={(record) => setEditing(record)}
        rowAttributes={(record) => ({ 'data-testid': 'tax-class-row', 'data-tax-class-id': record.id })}
        columns={[
          { accessor: 'name', title: 'Name' },
          { accessor: 'ratePercent', title: 'Rate', width: 120, textAlign: 'right', cellsClassName: 'tabular', render: (t) => `${t.ratePercent}%` },
          { accessor: 'active', title: 'Active', width: 110, render: (t) => <ActiveBadge active={t.active} /> },
          { accessor: 'planCount', title: 'Plans', width: 100, textAlign: 'right', cellsClassName: 'tabular' },
          { accessor: 'actions', title: '', width: 90, render: (t) => <RowActions name={t.name} onEdit={() => setEditing(t)} onDelete={() => setDeleting(t)} /> },
        ]}
      />
      {editing && <TaxClassModal taxClass={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
      <ConfirmDeleteRecord procedure="taxClasses.delete" record={deleting} name={(r) => r.name} title="Delete tax class" onClose={() => setDeleting(null)}>
        A tax class that plans use cannot be deleted.
      </ConfirmDeleteRecord>
    </>
  );
}

function TaxClassModal({ taxClass, onClose }: { taxClass?: TaxClass; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<Values>({ initialValues: { name: taxClass?.name ?? '', ratePercent: taxClass?.ratePercent ?? '', active: taxClass?.active ?? true } });
  const { formError, clearFormError, run } = useFormSubmit(form, FIELDS);

  const submit = form.onSubmit(async (values) => {
    const saved = taxClass
      ? await run('taxClasses.update', { id: taxClass.id, ...values })
      : await run('taxClasses.create', values);
    if (!saved) return;
    await queryClient.invalidateQueries();
    notifications.show({ color: 'green', title: taxClass ? 'Tax class saved' : 'Tax class created', message: `${saved.name} (${saved.ratePercent}%)`, withBorder: true });
    onClose();
  });

  return (
    <Modal opened onClose={onClose} title={taxClass ? `Edit ${taxClass.name}` : 'New tax class'} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormAlert message={formError} onClose={clearFormError} />
          <TextInput label="Name" withAsterisk data-autofocus {...form.getInputProps('name')} />
          <TextInput label="Rate" placeholder="7.25" withAsterisk rightSection={<Text size="sm" c="dimmed">%</Text>} {...form.getInputProps('ratePercent')} />
          <Switch label="Active" {...form.getInputProps('active', { type: 'checkbox' })} />
          <FormModalFooter onCancel={onClose} submitting={form.submitting} />
        </Stack>
      </form>
    </Modal>
  );
}
