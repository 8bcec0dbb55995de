import { Modal, NumberInput, SimpleGrid, Stack, TagsInput, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { OutputOf } from '../../../../shared/api/contract';
import { subscribersApi } from '../../../../shared/api/subscribers';
import { callApi } from '../../api/hooks';
import { FormAlert } from '../../components/FormAlert';
import { OrganizationSelect } from '../../components/RecordSelect';
import { useFormSubmit } from '../../lib/use-form-submit';
import { FormModalFooter } from '../../components/FormModalFooter';

type Contact = OutputOf<'contacts.get'>;

interface Values extends Record<string, unknown> {
  firstName: string;
  lastName: string;
  organizationId: number | null;
  phones: string[];
  emails: string[];
  street: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  latitude: number | string;
  longitude: number | string;
  notes: string;
}

const FIELDS = ['firstName', 'lastName', 'organizationId', 'phones', 'emails', 'street', 'city', 'region', 'postalCode', 'country', 'latitude', 'longitude', 'notes'] as const;

function valuesOf(c?: Contact): Values {
  return {
    firstName: c?.firstName ?? '',
    lastName: c?.lastName ?? '',
    organizationId: c?.organizationId ?? null,
    phones: c?.phones ?? [],
    emails: c?.emails ?? [],
    street: c?.street ?? '',
    city: c?.city ?? '',
    region: c?.region ?? '',
    postalCode: c?.postalCode ?? '',
    country: c?.country ?? '',
    latitude: c?.latitude ?? '',
    longitude: c?.longitude ?? '',
    notes: c?.notes ?? '',
  };
}

const coordinate = (v: number | string) => (typeof v === 'number' ? v : null);

/**
 * New contact or edit of one; `contact` absent means new. Mounted only while open, so each opening
 * starts fresh. `initial` prefills a new one (a name typed elsewhere); `onSaved` hears of the result.
 */
export function ContactFormModal({ contact, initial, onClose, onSaved }: { contact?: Contact; initial?: Partial<Values>; onClose: () => void; onSaved?: (saved: Contact) => void }) {
  const queryClient = useQueryClient();
  const form = useForm<Values>({ initialValues: { ...valuesOf(contact), ...initial } });
  const { formError, clearFormError, run } = useFormSubmit(form, FIELDS);

  const submit = form.onSubmit(async (values) => {
    const input = { ...values, latitude: coordinate(values.latitude), longitude: coordinate(values.longitude) };
    const saved = contact
      ? await run('contacts.update', { id: contact.id, ...input })
      : await run('contacts.create', input);
    if (!saved) return;
    await queryClient.invalidateQueries();
    notifications.show({ color: 'green', title: contact ? 'Contact saved' : 'Contact created', message: saved.displayName, withBorder: true });
    onSaved?.(saved);
    onClose();
  });

  return (
    <Modal opened onClose={onClose} title={contact ? `Edit ${contact.displayName}` : 'New contact'} size="xl" centered data-testid="contact-modal">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormAlert message={formError} onClose={clearFormError} />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
            <TextInput label="First name" withAsterisk data-autofocus {...form.getInputProps('firstName')} />
            <TextInput label="Last name" withAsterisk {...form.getInputProps('lastName')} />
            <TagsInput label="Phones" description="Press Enter after each number" placeholder="+1 555 0100" {...form.getInputProps('phones')} />
            <TagsInput label="Emails" description="Press Enter after each address" placeholder="name@example.com" {...form.getInputProps('emails')} />
            <OrganizationSelect
              label="Organization"
              placeholder="None"
              {...form.getInputProps('organizationId')}
              value={form.values.organizationId}
              onChange={(id) => form.setFieldValue('organizationId', id)}
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput label="Street" {...form.getInputProps('street')} />
            <TextInput label="City" {...form.getInputProps('city')} />
            <TextInput label="Region" {...form.getInputProps('region')} />
            <TextInput label="Postal code" {...form.getInputProps('postalCode')} />
            <TextInput label="Country" {...form.getInputProps('country')} />
            <NumberInput label="Latitude" decimalScale={6} {...form.getInputProps('latitude')} />
            <NumberInput label="Longitude" decimalScale={6} {...form.getInputProps('longitude')} />
          </SimpleGrid>
          <Textarea label="Notes" autosize minRows={2} {...form.getInputProps('notes')} />
          <FormModalFooter onCancel={onClose} submitting={form.submitting} />
        </Stack>
      </form>
    </Modal>
  );
}
