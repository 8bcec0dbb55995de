import { Modal, Select, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { OutputOf } from '../../../../shared/api/contract';
import { STAFF_ROLES, subscribersApi } from '../../../../shared/api/subscribers';
import { callApi } from '../../api/hooks';
import { FormAlert } from '../../components/FormAlert';
import { useFormSubmit } from '../../lib/use-form-submit';
import { FormModalFooter } from '../../components/FormModalFooter';

type StaffMember = OutputOf<'staff.get'>;
type Role = (typeof STAFF_ROLES)[number];

interface Values extends Record<string, unknown> {
  name: string;
  role: Role;
  email: string;
  phone: string;
  active: boolean;
}

const FIELDS = ['name', 'role', 'email', 'phone', 'active'] as const;

export function StaffFormModal({ member, onClose }: { member?: StaffMember; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<Values>({
    initialValues: { name: member?.name ?? '', role: member?.role ?? 'Engineer', email: member?.email ?? '', phone: member?.phone ?? '', active: member?.active ?? true },
  });
  const { formError, clearFormError, run } = useFormSubmit(form, FIELDS);

  const submit = form.onSubmit(async (values) => {
    const saved = member
      ? await run('staff.update', { id: member.id, ...values })
      : await run('staff.create', values);
    if (!saved) return;
    await queryClient.invalidateQueries();
    notifications.show({ color: 'green', title: member ? 'Staff member saved' : 'Staff member added', message: saved.name, withBorder: true });
    onClose();
  });

  return (
    <Modal opened onClose={onClose} title={member ? `Edit ${member.name}` : 'New staff member'} size="lg" centered data-testid="staff-modal">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormAlert message={formError} onClose={clearFormError} />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
            <TextInput label="Name" withAsterisk data-autofocus {...form.getInputProps('name')} />
            <Select<Role> label="Role" data={STAFF_ROLES.map((r) => ({ value: r, label: r }))} allowDeselect={false} comboboxProps={{ withinPortal: true }} {...form.getInputProps('role')} />
            <TextInput label="Email" {...form.getInputProps('email')} />
            <TextInput label="Phone" {...form.getInputProps('phone')} />
          </SimpleGrid>
          <Switch label="Active" description="Inactive staff keep their history but are not offered as engineers" {...form.getInputProps('active', { type: 'checkbox' })} />
          <FormModalFooter onCancel={onClose} submitting={form.submitting} />
        </Stack>
      </form>
    </Modal>
  );
}
