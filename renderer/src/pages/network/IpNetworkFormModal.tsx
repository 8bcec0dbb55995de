import { ActionIcon, Button, Group, Modal, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import type { OutputOf } from '../../../../shared/api/contract';
import { NETWORK_KINDS, networkApi } from '../../../../shared/api/network';
import { callApi, useApiQuery } from '../../api/hooks';
import { FormAlert } from '../../components/FormAlert';
import { useFormSubmit } from '../../lib/use-form-submit';
import { FormModalFooter } from '../../components/FormModalFooter';

type IpNetwork = OutputOf<'ipNetworks.get'>;
type Kind = (typeof NETWORK_KINDS)[number];

interface Range {
  first: string;
  last: string;
  reason: string;
}

interface Values extends Record<string, unknown> {
  cidr: string;
  kind: Kind;
  routerId: string | null;
  gateway: string;
  description: string;
  excluded: Range[];
}
const FIELDS = ['cidr', 'kind', 'routerId', 'gateway', 'description', 'excluded'] as const;

function valuesOf(n?: IpNetwork): Values {
  return {
    cidr: n?.cidr ?? '',
    kind: n?.kind ?? 'permanent',
    routerId: n?.routerId ? String(n.routerId) : null,
    gateway: n?.gateway ?? '',
    description: n?.description ?? '',
    excluded: (n?.excluded ?? []).map((r) => ({ first: r.first, last: r.last, reason: r.reason ?? '' })),
  };
}

/** New IPv4 network or edit of one: CIDR, kind, router, gateway and excluded ranges. */
export function IpNetworkFormModal({ network, onClose }: { network?: IpNetwork; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<Values>({ initialValues: valuesOf(network) });
  const { formError, clearFormError, run } = useFormSubmit(form, FIELDS);
  const routers = useApiQuery('routers.list', {}, { staleTime: 30_000 });
  const next = useRef<'close' | 'new'>('close');
  const cidrRef = useRef<HTMLInputElement>(null);
  const v = form.values;

  const submit = form.onSubmit(async (values) => {
    const input = {
      cidr: values.cidr,
      kind: values.kind,
      routerId: values.routerId ? Number(values.routerId) : null,
      gateway: values.gateway.trim() ? values.gateway.trim() : null,
      description: values.description,
      excluded: values.excluded.map((r) => ({ first: r.first, last: r.last, reason: r.reason })),
    };
    const saved = network
      ? await run('ipNetworks.update', { id: network.id, ...input })
      : await run('ipNetworks.create', input);
    if (!saved) return;
    await queryClient.invalidateQueries();
    notifications.show({ color: 'green', title: network ? 'Network saved' : 'Network added', message: `${saved.cidr} · ${saved.utilization.usable} usable addresses`, withBorder: true });
    if (!network && next.current === 'new') {
      form.setValues(valuesOf());
      form.resetDirty(valuesOf());
      form.clearErrors();
      cidrRef.current?.focus();
      return;
    }
    onClose();
  });

  return (
    <Modal opened onClose={onClose} title={network ? `Edit ${network.cidr}` : 'New IP network'} size="lg" centered data-testid="ip-network-modal">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormAlert message={formError} onClose={clearFormError} />
          <SimpleGrid cols={2} spacing="md" verticalSpacing="sm">
            <TextInput ref={cidrRef} label="Network (CIDR)" withAsterisk data-autofocus placeholder="e.g. 10.20.0.0/24" {...form.getInputProps('cidr')} />
            <Stack gap={2}>
              <Text size="sm" fw={500}>
                Kind
              </Text>
              <SegmentedControl
                aria-label="Kind"
                data={[
                  { value: 'permanent', label: 'Permanent addresses' },
                  { value: 'pool', label: 'Dynamic pool' },
                ]}
                value={v.kind}
                onChange={(k) => form.setFieldValue('kind', k as Kind)}
              />
            </Stack>
            <Select
              label="Router"
              placeholder="None"
              data={(routers.data ?? []).map((r) => ({ value: String(r.id), label: r.name }))}
              clearable
              {...form.getInputProps('routerId')}
            />
            <TextInput label="Gateway" placeholder="e.g. 10.20.0.1" {...form.getInputProps('gateway')} />
          </SimpleGrid>
          <Textarea label="Description" autosize minRows={1} {...form.getInputProps('description')} />
          <Stack gap={6}>
            <Group justify="space-between">
              <Text size="sm" fw={500}>
                Excluded ranges
              </Text>
              <Button size="xs" variant="subtle" leftSection={<IconPlus size={14} />} onClick={() => form.insertListItem('excluded', { first: '', last: '', reason: '' })}>
                Add range
              </Button>
            </Group>
            {v.excluded.length === 0 && (
              <Text size="xs" c="dimmed">
                None: every address but the network, broadcast and gateway can be given out.
              </Text>
            )}
            {v.excluded.map((_, i) => (
              <Group key={i} gap="xs" align="flex-start" wrap="nowrap">
                <TextInput aria-label={`Excluded range ${i + 1} first`} placeholder="First" {...form.getInputProps(`excluded.${i}.first`)} style={{ flex: 1 }} />
                <TextInput aria-label={`Excluded range ${i + 1} last`} placeholder="Last" {...form.getInputProps(`excluded.${i}.last`)} style={{ flex: 1 }} />
                <TextInput aria-label={`Excluded range ${i + 1} reason`} placeholder="Why (optional)" {...form.getInputProps(`excluded.${i}.reason`)} style={{ flex: 1.4 }} />
                <ActionIcon variant="subtle" color="red" mt={6} aria-label={`Remove excluded range ${i + 1}`} onClick={() => form.removeListItem('excluded', i)}>
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            ))}
            {typeof form.errors.excluded === 'string' && (
              <Text size="xs" c="red">
                {form.errors.excluded}
              </Text>
            )}
          </Stack>
          <FormModalFooter onCancel={onClose} submitting={form.submitting} offerSaveAndNew={!network} onSaveChoice={(after) => (next.current = after)} />
        </Stack>
      </form>
    </Modal>
  );
}
