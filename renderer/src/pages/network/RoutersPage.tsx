import { Badge, Button, Checkbox, Modal, NumberInput, PasswordInput, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { OutputOf } from '../../../../shared/api/contract';
import { ROUTER_VENDORS, USAGE_SOURCES, networkApi } from '../../../../shared/api/network';
import { callApi, useApiQuery } from '../../api/hooks';
import { ConfirmDeleteRecord } from '../../components/ConfirmDeleteRecord';
import { FormAlert } from '../../components/FormAlert';
import { PageHeader } from '../../components/PageHeader';
import { RecordTable, openOnEnter } from '../../components/RecordTable';
import { RowActions } from '../../components/RowActions';
import { useFormSubmit } from '../../lib/use-form-submit';
import { FormModalFooter } from '../../components/FormModalFooter';

type Router = OutputOf<'routers.get'>;

/** A secret is never shown, only whether one is stored. */
function SecretState({ set, testId }: { set: boolean; testId: string }) {
  return (
    // Never cut to "NOT S…": the table narrows other columns first.
    <Badge variant="light" color={set ? 'green' : 'gray'} radius="sm" miw="max-content" data-testid={testId}>
      {set ? 'set' : 'not set'}
    </Badge>
  );
}

const USAGE_SOURCE_LABELS: Record<(typeof USAGE_SOURCES)[number], string> = {
  radius: 'RADIUS accounting',
  routeros: 'RouterOS API poll',
  none: 'None',
};

/** The same, short enough for a table column. */
const USAGE_SOURCE_SHORT: Record<(typeof USAGE_SOURCES)[number], string> = { radius: 'RADIUS', routeros: 'API poll', none: 'None' };

const timeOf = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** Where the router's usage comes from, and for the API poll how its last reading went. */
function UsageSourceCell({ router }: { router: Router }) {
  const poll = router.usagePoll;
  return (
    <Stack gap={0} data-testid="router-usage-source">
      <span title={USAGE_SOURCE_LABELS[router.usageSource]}>{USAGE_SOURCE_SHORT[router.usageSource]}</span>
      {router.usageSource === 'routeros' &&
        (poll?.lastError ? (
          <Text size="xs" c="red" title={poll.lastError} lineClamp={2} data-testid="router-usage-poll-error">
            Not read: {poll.lastError}
          </Text>
        ) : (
          <Text size="xs" c="dimmed" title={poll?.lastSuccessAt ? `Last read ${new Date(poll.lastSuccessAt).toLocaleString()}` : undefined}>
            {poll?.lastSuccessAt ? `${timeOf(poll.lastSuccessAt)} · ${poll.sessions} online` : 'Not read yet'}
          </Text>
        ))}
    </Stack>
  );
}

/** Routers (NAS): MikroTik RouterOS devices reached over their API and/or RADIUS clients. */
export function RoutersPage() {
  const [editing, setEditing] = useState<Router | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Router | null>(null);
  const list = useApiQuery('routers.list', {});

  return (
    <>
      <PageHeader
        title="Routers"
        description="The NAS devices services are provisioned on. Secrets are stored encrypted and never shown."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
            New router
          </Button>
        }
      />
      <RecordTable<Router>
        what="routers"
        list={list}
        noRecordsText="No routers yet."
        onRowClick={(record) => setEditing(record)}
        rowAttributes={(record) => ({ 'data-testid': 'router-row', ...openOnEnter(() => setEditing(record)) })}
        // Long names wrap rather than push the actions out of sight on a 1366-pixel screen.
        columns={[
          { accessor: 'name', title: 'Name' },
          { accessor: 'address', title: 'Address', render: (r) => <span className="tabular">{r.address}</span> },
          { accessor: 'vendor', title: 'Vendor / type' },
          { accessor: 'apiPort', title: 'API port', render: (r) => r.apiPort ?? '' },
          { accessor: 'apiUser', title: 'API user', render: (r) => r.apiUser ?? '' },
          { accessor: 'hasApiPassword', title: 'API password', titleClassName: 'wrap-title', render: (r) => <SecretState set={r.hasApiPassword} testId="router-api-password" /> },
          { accessor: 'hasRadiusSecret', title: 'RADIUS secret', titleClassName: 'wrap-title', render: (r) => <SecretState set={r.hasRadiusSecret} testId="router-radius-secret" /> },
          { accessor: 'usageSource', title: 'Usage from', width: 120, render: (r) => <UsageSourceCell router={r} /> },
          { accessor: 'serviceCount', title: 'Services', textAlign: 'right', cellsClassName: 'tabular' },
          { accessor: 'networkCount', title: 'Networks', textAlign: 'right', cellsClassName: 'tabular' },
          { accessor: 'actions', title: '', width: 80, render: (r) => <RowActions name={r.name} onEdit={() => setEditing(r)} onDelete={() => setDeleting(r)} /> },
        ]}
      />
      {editing && <RouterFormModal router={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
      <ConfirmDeleteRecord procedure="routers.delete" record={deleting} name={(r) => r.name} title="Delete router" onClose={() => setDeleting(null)}>
        A router that services or networks use cannot be deleted.
      </ConfirmDeleteRecord>
    </>
  );
}

interface Values extends Record<string, unknown> {
  name: string;
  address: string;
  vendor: string;
  apiPort: number | string;
  apiUser: string;
  apiTls: boolean;
  apiPassword: string;
  clearApiPassword: boolean;
  radiusSecret: string;
  clearRadiusSecret: boolean;
  coaPort: number | string;
  notes: string;
  /** Blank on a new router: chosen from its credentials. */
  usageSource: string;
}
const FIELDS = ['name', 'address', 'vendor', 'apiPort', 'apiUser', 'apiTls', 'apiPassword', 'radiusSecret', 'coaPort', 'notes', 'usageSource'] as const;

function valuesOf(r?: Router): Values {
  return {
    name: r?.name ?? '',
    address: r?.address ?? '',
    vendor: r?.vendor ?? 'MikroTik RouterOS',
    apiPort: r?.apiPort ?? (r ? '' : 8728),
    apiUser: r?.apiUser ?? '',
    apiTls: r?.apiTls ?? false,
    apiPassword: '',
    clearApiPassword: false,
    radiusSecret: '',
    clearRadiusSecret: false,
    coaPort: r?.coaPort ?? '',
    notes: r?.notes ?? '',
    usageSource: r?.usageSource ?? '',
  };
}

const isUsageSource = (v: string): v is (typeof USAGE_SOURCES)[number] => (USAGE_SOURCES as readonly string[]).includes(v);

/**
 * Secrets are write-only: a typed value replaces the stored one, a blank leaves it as it was,
 * "Clear" removes it. The form never receives the stored value.
 */
function secretPatch(typed: string, clear: boolean): string | null | undefined {
  if (clear) return null;
  return typed ? typed : undefined;
}

function RouterFormModal({ router, onClose }: { router?: Router; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<Values>({ initialValues: valuesOf(router) });
  const { formError, clearFormError, run } = useFormSubmit(form, FIELDS);
  const next = useRef<'close' | 'new'>('close');
  const nameRef = useRef<HTMLInputElement>(null);
  const v = form.values;

  const submit = form.onSubmit(async (values) => {
    const input = {
      name: values.name,
      address: values.address,
      vendor: values.vendor,
      apiPort: typeof values.apiPort === 'number' ? values.apiPort : null,
      apiUser: values.apiUser,
      apiTls: values.apiTls,
      apiPassword: secretPatch(values.apiPassword, values.clearApiPassword),
      radiusSecret: secretPatch(values.radiusSecret, values.clearRadiusSecret),
      coaPort: typeof values.coaPort === 'number' ? values.coaPort : null,
      notes: values.notes,
      usageSource: isUsageSource(values.usageSource) ? values.usageSource : undefined,
    };
    const saved = router
      ? await run('routers.update', { id: router.id, ...input })
      : await run('routers.create', input);
    if (!saved) return;
    await queryClient.invalidateQueries();
    notifications.show({ color: 'green', title: router ? 'Router saved' : 'Router added', message: `${saved.name} (${saved.address})`, withBorder: true });
    if (!router && next.current === 'new') {
      form.setValues(valuesOf());
      form.resetDirty(valuesOf());
      form.clearErrors();
      nameRef.current?.focus();
      return;
    }
    onClose();
  });

  const secretHint = (stored: boolean | undefined, cleared: boolean) =>
    cleared ? 'Will be removed on save.' : stored ? 'A secret is stored. Type to replace it; leave blank to keep it.' : 'Not set.';

  return (
    <Modal opened onClose={onClose} title={router ? `Edit ${router.name}` : 'New router'} size="lg" centered data-testid="router-modal">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormAlert message={formError} onClose={clearFormError} />
          <SimpleGrid cols={2} spacing="md" verticalSpacing="sm">
            <TextInput ref={nameRef} label="Name" withAsterisk data-autofocus placeholder="e.g. Hilltop core" {...form.getInputProps('name')} />
            <TextInput label="Address" withAsterisk placeholder="Host name or IP" {...form.getInputProps('address')} />
            <Select label="Vendor / type" data={[...ROUTER_VENDORS]} allowDeselect={false} {...form.getInputProps('vendor')} />
            <Stack gap={4}>
              <NumberInput label="API port" min={1} max={65535} allowDecimal={false} clampBehavior="none" placeholder={v.apiTls ? '8729' : '8728'} {...form.getInputProps('apiPort')} />
              <Checkbox size="xs" label="API over TLS (api-ssl)" {...form.getInputProps('apiTls', { type: 'checkbox' })} />
            </Stack>
            <TextInput label="API user" autoComplete="off" {...form.getInputProps('apiUser')} />
            <Stack gap={4}>
              <PasswordInput
                label="API password"
                autoComplete="new-password"
                placeholder={router?.hasApiPassword ? '•••••• (set)' : 'Not set'}
                description={secretHint(router?.hasApiPassword, v.clearApiPassword)}
                disabled={v.clearApiPassword}
                {...form.getInputProps('apiPassword')}
              />
              {router?.hasApiPassword && <Checkbox size="xs" label="Clear the stored API password" {...form.getInputProps('clearApiPassword', { type: 'checkbox' })} />}
            </Stack>
            <Stack gap={4}>
              <PasswordInput
                label="RADIUS shared secret"
                autoComplete="new-password"
                placeholder={router?.hasRadiusSecret ? '•••••• (set)' : 'Not set'}
                description={secretHint(router?.hasRadiusSecret, v.clearRadiusSecret)}
                disabled={v.clearRadiusSecret}
                {...form.getInputProps('radiusSecret')}
              />
              {router?.hasRadiusSecret && <Checkbox size="xs" label="Clear the stored RADIUS secret" {...form.getInputProps('clearRadiusSecret', { type: 'checkbox' })} />}
            </Stack>
            <NumberInput
              label="CoA port"
              description="Where it takes speed changes and disconnects for live sessions"
              min={1}
              max={65535}
              allowDecimal={false}
              clampBehavior="none"
              placeholder="As in RADIUS settings (3799)"
              {...form.getInputProps('coaPort')}
            />
            <Select
              label="Usage from"
              data={USAGE_SOURCES.map((value) => ({ value, label: USAGE_SOURCE_LABELS[value] }))}
              placeholder="Chosen from the secrets"
              description={
                v.usageSource === 'routeros'
                  ? 'Sessions and queue byte counters read over the API every few minutes.'
                  : v.usageSource === ''
                    ? 'Blank: RADIUS with a RADIUS secret, else the API poll with an API user.'
                    : 'Where traffic and "online now" come from.'
              }
              allowDeselect={!router}
              clearable={!router}
              data-testid="router-usage-source-select"
              {...form.getInputProps('usageSource')}
            />
          </SimpleGrid>
          <Textarea label="Notes" autosize minRows={2} {...form.getInputProps('notes')} />
          <FormModalFooter onCancel={onClose} submitting={form.submitting} offerSaveAndNew={!router} onSaveChoice={(after) => (next.current = after)} />
        </Stack>
      </form>
    </Modal>
  );
}
