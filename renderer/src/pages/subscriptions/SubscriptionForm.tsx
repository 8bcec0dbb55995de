import { Alert, Button, Group, NumberInput, Paper, PasswordInput, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconDeviceFloppy, IconPlus } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import type { OutputOf } from '../../../../shared/api/contract';
import { NOTIFICATION_LEVELS, subscribersApi } from '../../../../shared/api/subscribers';
import { INITIAL_STATUSES } from '../../../../shared/domain/subscription-status';
import { callApi } from '../../api/hooks';
import { FormAlert } from '../../components/FormAlert';
import { ContactSelect, EngineerSelect, OrganizationSelect, splitPersonName } from '../../components/RecordSelect';
import { ContactFormModal } from '../contacts/ContactFormModal';
import { blankToUndefined, useFormSubmit } from '../../lib/use-form-submit';
import { useFormDraft } from '../../lib/use-form-draft';
import { useQueryClient } from '@tanstack/react-query';

type Subscription = OutputOf<'subscriptions.get'>;
type NotificationLevel = (typeof NOTIFICATION_LEVELS)[number];
type InitialStatus = 'Active' | 'Inactive';

export interface SubscriptionFormValues extends Record<string, unknown> {
  contactId: number | null;
  organizationId: number | null;
  name: string;
  engineerId: number | null;
  notificationLevel: NotificationLevel;
  description: string;
  billDay: number | string;
  servicePassword: string;
  status: InitialStatus;
}

const FIELDS = ['contactId', 'organizationId', 'name', 'engineerId', 'notificationLevel', 'description', 'billDay', 'servicePassword', 'status'] as const;

function emptyValues(): SubscriptionFormValues {
  return { contactId: null, organizationId: null, name: '', engineerId: null, notificationLevel: 'Now', description: '', billDay: 1, servicePassword: '', status: 'Active' };
}

function valuesOf(s: Subscription): SubscriptionFormValues {
  return {
    contactId: s.contactId,
    organizationId: s.organizationId,
    name: s.name,
    engineerId: s.engineerId,
    notificationLevel: s.notificationLevel,
    description: s.description ?? '',
    billDay: s.billDay,
    servicePassword: s.servicePassword ?? '',
    status: s.status === 'Inactive' ? 'Inactive' : 'Active',
  };
}

/** What the form sends: blanks left out, so the contract says "Required" or applies its default. */
function inputOf(v: SubscriptionFormValues) {
  return {
    contactId: blankToUndefined(v.contactId),
    organizationId: v.organizationId,
    name: v.name,
    engineerId: blankToUndefined(v.engineerId),
    notificationLevel: v.notificationLevel,
    description: v.description,
    billDay: typeof v.billDay === 'number' ? v.billDay : blankToUndefined(v.billDay),
    servicePassword: v.servicePassword,
  };
}

/**
 * The subscription's fields, for opening a new one (Save, Save & New) and for its Details tab.
 * Contact, name and engineer are mandatory; the rest has defaults.
 */
export function SubscriptionForm({ subscription, onSaved }: { subscription?: Subscription; onSaved: (saved: Subscription, next: 'open' | 'new') => void }) {
  const editing = Boolean(subscription);
  const queryClient = useQueryClient();
  const form = useForm<SubscriptionFormValues>({ initialValues: subscription ? valuesOf(subscription) : emptyValues() });
  // A contact created from what was typed in Contact, over the form (which stays as it is).
  const [newContact, setNewContact] = useState<string | null>(null);
  const { formError, clearFormError, run } = useFormSubmit(form, FIELDS);
  const draft = useFormDraft(form, subscription ? `subscription.${subscription.id}` : 'subscription.new');
  const contactRef = useRef<HTMLInputElement>(null);
  const nextAction = useRef<'open' | 'new'>('open');

  const submit = form.onSubmit(async (values) => {
    const next = nextAction.current;
    const input = inputOf(values);
    const saved = subscription
      ? await run('subscriptions.update', { id: subscription.id, ...input })
      : await run('subscriptions.create', { ...input, status: values.status });
    if (!saved) return;
    draft.clear();
    await queryClient.invalidateQueries();
    notifications.show({
      color: 'green',
      title: editing ? 'Subscription saved' : 'Subscription created',
      message: `${saved.uniqueId} · ${saved.name} (${saved.contactName})`,
      withBorder: true,
    });
    if (editing) {
      form.setInitialValues(valuesOf(saved));
      form.setValues(valuesOf(saved));
      form.resetDirty(valuesOf(saved));
    }
    if (next === 'new') {
      // The next one is usually the same site's: keep who looks after it, where it belongs, and when it bills.
      const carried = { ...emptyValues(), engineerId: values.engineerId, organizationId: values.organizationId, billDay: values.billDay, notificationLevel: values.notificationLevel, status: values.status };
      form.setInitialValues(carried);
      form.setValues(carried);
      form.resetDirty(carried);
      form.clearErrors();
      contactRef.current?.focus();
    }
    onSaved(saved, next);
  });

  return (
    <>
    {/* Outside the form: a portal does not stop React's submit event from bubbling to it. */}
      {newContact !== null && (
        <ContactFormModal
          initial={splitPersonName(newContact)}
          onClose={() => setNewContact(null)}
          onSaved={(saved) => {
            form.setFieldValue('contactId', saved.id);
            if (saved.organizationId && form.values.organizationId === null) form.setFieldValue('organizationId', saved.organizationId);
          }}
        />
      )}
    <form onSubmit={submit} noValidate data-testid="subscription-form">
      <Stack gap="md">
        <FormAlert message={formError} onClose={clearFormError} />
        {draft.restored && form.isDirty() && (
          <Alert color="blue" variant="light" data-testid="draft-restored" title="Unsaved changes kept">
            <Group justify="space-between" gap="sm">
              <Text size="sm">What you typed before leaving this form is back. Save it, or discard it.</Text>
              <Button size="xs" variant="default" onClick={draft.discard}>
                Discard changes
              </Button>
            </Group>
          </Alert>
        )}
        <Paper withBorder p="md" radius="md">
          <Stack gap="sm">
            <Text fw={600} size="sm" c="dimmed" tt="uppercase" lts={0.4}>
              Subscriber
            </Text>
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" verticalSpacing="sm">
              <ContactSelect
                ref={contactRef}
                label="Contact"
                placeholder="Search contacts by name, phone or email"
                withAsterisk
                data-autofocus
                {...form.getInputProps('contactId')}
                value={form.values.contactId}
                onCreate={(typed) => setNewContact(typed)}
                onChange={(id, contact) => {
                  form.setFieldValue('contactId', id);
                  // A contact's organization is the likely one for the subscription; never overwrite a choice.
                  if (contact?.organizationId && form.values.organizationId === null) form.setFieldValue('organizationId', contact.organizationId);
                }}
              />
              <OrganizationSelect
                label="Organization"
                placeholder="None: optional"
                {...form.getInputProps('organizationId')}
                value={form.values.organizationId}
                onChange={(id) => form.setFieldValue('organizationId', id)}
              />
              <TextInput label="Name" placeholder="e.g. Home internet, Main office" withAsterisk {...form.getInputProps('name')} />
              <EngineerSelect
                label="Engineer"
                placeholder="Responsible staff member"
                withAsterisk
                {...form.getInputProps('engineerId')}
                value={form.values.engineerId}
                onChange={(id) => form.setFieldValue('engineerId', id)}
              />
            </SimpleGrid>
          </Stack>
        </Paper>
        <Paper withBorder p="md" radius="md">
          <Stack gap="sm">
            <Text fw={600} size="sm" c="dimmed" tt="uppercase" lts={0.4}>
              Account
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2, lg: editing ? 3 : 4 }} spacing="md" verticalSpacing="sm">
              {!editing && (
                <Stack gap={2}>
                  <Text size="sm" fw={500} component="label">
                    Starts as
                  </Text>
                  <SegmentedControl
                    data={INITIAL_STATUSES.map((s) => ({ value: s, label: s }))}
                    value={form.values.status}
                    onChange={(s) => form.setFieldValue('status', s as InitialStatus)}
                    aria-label="Starts as"
                  />
                </Stack>
              )}
               <NumberInput label="Bill day" placeholder="1–28" min={1} max={28} allowDecimal={false} clampBehavior="none" {...form.getInputProps('billDay')} />
              <Select<NotificationLevel>
                label="Notification level"
                data={NOTIFICATION_LEVELS.map((n) => ({ value: n, label: n }))}
                allowDeselect={false}
                {...form.getInputProps('notificationLevel')}
              />
              <PasswordInput label="Portal / service password" autoComplete="new-password" {...form.getInputProps('servicePassword')} />
            </SimpleGrid>
            <Textarea label="Description" autosize minRows={2} maxRows={6} {...form.getInputProps('description')} />
          </Stack>
        </Paper>
        <Group justify="flex-end" gap="sm">
          {editing ? (
            <>
              <Button variant="default" disabled={!form.isDirty()} onClick={draft.discard}>
                Discard changes
              </Button>
              <Button type="submit" leftSection={<IconDeviceFloppy size={16} />} loading={form.submitting} onClick={() => (nextAction.current = 'open')}>
                Save
              </Button>
            </>
          ) : (
            <>
              <Button type="submit" variant="light" leftSection={<IconPlus size={16} />} loading={form.submitting} onClick={() => (nextAction.current = 'new')}>
                Save &amp; New
              </Button>
              <Button type="submit" leftSection={<IconDeviceFloppy size={16} />} loading={form.submitting} onClick={() => (nextAction.current = 'open')}>
                Save
              </Button>
            </>
          )}
        </Group>
      </Stack>
    </form>
    </>
  );
}
