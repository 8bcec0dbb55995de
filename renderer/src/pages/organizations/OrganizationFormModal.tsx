import { Modal, Select, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { OutputOf } from '../../../../shared/api/contract';
import { ORGANIZATION_KINDS, subscribersApi } from '../../../../shared/api/subscribers';
import { callApi } from '../../api/hooks';
import { FormAlert } from '../../components/FormAlert';
import { useFormSubmit } from '../../lib/use-form-submit';
import { FormModalFooter } from '../../components/FormModalFooter';

type Organization = OutputOf<'organizations.get'>;
type Kind = (typeof ORGANIZATION_KINDS)[number];

interface Values extends Record<string, unknown> {
  name: string;
  kind: Kind;
  phone: string;
  email: string;
  street: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  notes: string;
}

const FIELDS = ['name', 'kind', 'phone', 'email', 'street', 'city', 'region', 'postalCode', 'country', 'notes'] as const;

function valuesOf(o?: Organization): Values {
  return {
    name: o?.name ?? '',
    kind: o?.kind ?? 'Company',
    phone: o?.phone ?? '',
    email: o?.email ?? '',
    street: o?.street ?? '',
    city: o?.city ?? '',
    region: o?.region ?? '',
    postalCode: o?.postalCode ?? '',
    country: o?.country ?? '',
    notes: o?.notes ?? '',
  };
}

export function OrganizationFormModal({ organization, onClose }: { organization?: Organization; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<Values>({ initialValues: valuesOf(organization) });
  const { formError, clearFormError, run } = useFormSubmit(form, FIELDS);

  const submit = form.onSubmit(async (values) => {
    const saved = organization
      ? await run('organizations.update', { id: organization.id, ...values })
      : await run('organizations.create', values);
    if (!saved) return;
    await queryClient.invalidateQueries();
    notifications.show({ color: 'green', title: organization ? 'Organization saved' : 'Organization created', message: saved.name, withBorder: true });
    onClose();
  });

  return (
    <Modal opened onClose={onClose} title={organization ? `Edit ${organization.name}` : 'New organization'} size="lg" centered data-testid="organization-modal">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormAlert message={formError} onClose={clearFormError} />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
            <TextInput label="Name" withAsterisk data-autofocus {...form.getInputProps('name')} />
            <Select<Kind> label="Kind" data={ORGANIZATION_KINDS.map((k) => ({ value: k, label: k }))} allowDeselect={false} comboboxProps={{ withinPortal: true }} {...form.getInputProps('kind')} />
            <TextInput label="Phone" {...form.getInputProps('phone')} />
            <TextInput label="Email" {...form.getInputProps('email')} />
            <TextInput label="Street" {...form.getInputProps('street')} />
            <TextInput label="City" {...form.getInputProps('city')} />
            <TextInput label="Region" {...form.getInputProps('region')} />
            <TextInput label="Postal code" {...form.getInputProps('postalCode')} />
            <TextInput label="Country" {...form.getInputProps('country')} />
          </SimpleGrid>
          <Textarea label="Notes" autosize minRows={2} {...form.getInputProps('notes')} />
          <FormModalFooter onCancel={onClose} submitting={form.submitting} />
        </Stack>
      </form>
    </Modal>
  );
}
