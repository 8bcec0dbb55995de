import { Modal, Select, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import type { OutputOf } from '../../../../shared/api/contract';
import { DEVICE_STATUSES, DEVICE_TYPES, servicesApi } from '../../../../shared/api/services';
import { callApi, useApiQuery } from '../../api/hooks';
import { FormAlert } from '../../components/FormAlert';
import { useFormSubmit } from '../../lib/use-form-submit';
import { FormModalFooter } from '../../components/FormModalFooter';

type Device = OutputOf<'devices.get'>;

interface Values extends Record<string, unknown> {
  type: string | null;
  vendor: string;
  model: string;
  serial: string;
  macAddress: string;
  managementIp: string;
  firmware: string;
  installDate: string;
  location: string;
  serviceId: string | null;
  status: string;
  notes: string;
}

const FIELDS = ['type', 'vendor', 'model', 'serial', 'macAddress', 'managementIp', 'firmware', 'installDate', 'location', 'serviceId', 'status', 'notes'] as const;

function valuesOf(d?: Device): Values {
  return {
    type: d?.type ?? null,
    vendor: d?.vendor ?? '',
    model: d?.model ?? '',
    serial: d?.serial ?? '',
    macAddress: d?.macAddress ?? '',
    managementIp: d?.managementIp ?? '',
    firmware: d?.firmware ?? '',
    installDate: d?.installDate ?? '',
    location: d?.location ?? '',
    serviceId: d?.serviceId ? String(d.serviceId) : null,
    status: d?.status ?? 'Active',
    notes: d?.notes ?? '',
  };
}

const blankToNull = (t: string) => (t.trim() ? t.trim() : null);

/** Customer equipment on a subscription: new or edit; optionally linked to one of its services. */
export function DeviceFormModal({ subscriptionId, device, onClose }: { subscriptionId: number; device?: Device; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<Values>({ initialValues: valuesOf(device) });
  const { formError, clearFormError, run } = useFormSubmit(form, FIELDS);
  const services = useApiQuery('services.listBySubscription', { subscriptionId, page: 1, pageSize: 500 });
  const next = useRef<'close' | 'new'>('close');
  const typeRef = useRef<HTMLInputElement>(null);

  const submit = form.onSubmit(async (v) => {
    const fields = {
      type: v.type ?? undefined,
      vendor: v.vendor,
      model: v.model,
      serial: v.serial,
      macAddress: blankToNull(v.macAddress),
      managementIp: blankToNull(v.managementIp),
      firmware: v.firmware,
      installDate: blankToNull(v.installDate),
      location: v.location,
      serviceId: v.serviceId ? Number(v.serviceId) : null,
      status: v.status,
      notes: v.notes,
    };
    const saved = device
      ? await run('devices.update', { id: device.id, ...fields })
      : await run('devices.create', { subscriptionId, ...fields });
    if (!saved) return;
    await queryClient.invalidateQueries();
    notifications.show({ color: 'green', title: device ? 'Device saved' : 'Device added', message: [saved.type, saved.vendor, saved.model].filter(Boolean).join(' · '), withBorder: true });
    if (!device && next.current === 'new') {
      form.setValues(valuesOf());
      form.resetDirty(valuesOf());
      form.clearErrors();
      typeRef.current?.focus();
      return;
    }
    onClose();
  });

  return (
    <Modal opened onClose={onClose} title={device ? 'Edit device' : 'New device'} size="xl" centered data-testid="device-modal">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormAlert message={formError} onClose={clearFormError} />
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" verticalSpacing="sm">
            <Select ref={typeRef} label="Type" withAsterisk data-autofocus data={[...DEVICE_TYPES]} {...form.getInputProps('type')} />
            <TextInput label="Vendor" placeholder="e.g. Ubiquiti" {...form.getInputProps('vendor')} />
            <TextInput label="Model" placeholder="e.g. LiteBeam 5AC" {...form.getInputProps('model')} />
            <TextInput label="Serial" {...form.getInputProps('serial')} />
            <TextInput label="MAC address" placeholder="AA:BB:CC:DD:EE:FF" {...form.getInputProps('macAddress')} />
            <TextInput label="Management IP" placeholder="e.g. 10.99.0.12" {...form.getInputProps('managementIp')} />
            <TextInput label="Firmware" {...form.getInputProps('firmware')} />
            <TextInput type="date" label="Install date" {...form.getInputProps('installDate')} />
            <Select label="Status" data={[...DEVICE_STATUSES]} allowDeselect={false} {...form.getInputProps('status')} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
            <TextInput label="Location" placeholder="e.g. Roof mast, north side" {...form.getInputProps('location')} />
            <Select
              label="Linked service"
              placeholder={services.data?.rows.length === 0 ? 'The subscription has no services' : 'None'}
              data={(services.data?.rows ?? []).map((s) => ({ value: String(s.id), label: `${s.description}${s.login ? ` (${s.login})` : ''}${s.status !== 'Active' ? ` · ${s.status}` : ''}` }))}
              clearable
              {...form.getInputProps('serviceId')}
            />
          </SimpleGrid>
          <Textarea label="Notes" autosize minRows={1} maxRows={4} {...form.getInputProps('notes')} />
          <FormModalFooter onCancel={onClose} submitting={form.submitting} offerSaveAndNew={!device} onSaveChoice={(after) => (next.current = after)} />
        </Stack>
      </form>
    </Modal>
  );
}
