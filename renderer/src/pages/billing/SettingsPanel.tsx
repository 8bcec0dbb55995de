import { Alert, Anchor, Button, FileButton, Group, Image, Loader, NumberInput, Paper, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle, IconPhotoUp, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { OutputOf } from '../../../../shared/api/contract';
import { billingApi } from '../../../../shared/api/billing';
import { callApi, useApiQuery } from '../../api/hooks';
import { FormAlert } from '../../components/FormAlert';
import { LoadError } from '../../components/LoadError';
import { formatDateTime } from '../../lib/format';
import { useFormSubmit } from '../../lib/use-form-submit';

type Settings = OutputOf<'billingSettings.get'>;

interface Values extends Record<string, unknown> {
  currencyCode: string;
  minorDigits: number | string;
  paymentTermsDays: number | string;
  graceDays: number | string;
  whileSuspended: Settings['whileSuspended'];
  billingStartDate: string;
  ispName: string;
  ispStreet: string;
  ispCity: string;
  ispRegion: string;
  ispPostalCode: string;
  ispCountry: string;
  ispPhone: string;
  ispEmail: string;
  ispLogo: string | null;
}

const FIELDS = [
  'currencyCode',
  'minorDigits',
  'paymentTermsDays',
  'graceDays',
  'whileSuspended',
  'billingStartDate',
  'ispName',
  'ispStreet',
  'ispCity',
  'ispRegion',
  'ispPostalCode',
  'ispCountry',
  'ispPhone',
  'ispEmail',
  'ispLogo',
] as const;

/** The contract's own limit on the logo's data URL (about 1 MB of text). */
const MAX_LOGO_TEXT = 1_500_000;

function valuesOf(s: Settings): Values {
  return {
    currencyCode: s.currencyCode,
    minorDigits: s.minorDigits,
    paymentTermsDays: s.paymentTermsDays,
    graceDays: s.graceDays,
    whileSuspended: s.whileSuspended,
    billingStartDate: s.billingStartDate ?? '',
    ispName: s.ispName,
    ispStreet: s.ispStreet ?? '',
    ispCity: s.ispCity ?? '',
    ispRegion: s.ispRegion ?? '',
    ispPostalCode: s.ispPostalCode ?? '',
    ispCountry: s.ispCountry ?? '',
    ispPhone: s.ispPhone ?? '',
    ispEmail: s.ispEmail ?? '',
    ispLogo: s.ispLogo,
  };
}

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsDataURL(file);
  });
}

export function SettingsPanel() {
  const settings = useApiQuery('billingSettings.get', {});
  if (settings.isLoading) return <Loader />;
  if (!settings.data) return <LoadError what="billing settings" error={settings.error} onRetry={() => settings.refetch()} />;
  return <SettingsForm key={settings.data.updatedAt} settings={settings.data} />;
}

/** Currency, payment terms and the ISP identity printed on every invoice and statement. */
function SettingsForm({ settings }: { settings: Settings }) {
  const queryClient = useQueryClient();
  const form = useForm<Values>({ initialValues: valuesOf(settings) });
  const { formError, clearFormError, run } = useFormSubmit(form, FIELDS);
  const [logoError, setLogoError] = useState<string | null>(null);

  const pickLogo = async (file: File | null) => {
    setLogoError(null);
    if (!file) return;
    if (!/^image\/(png|jpeg|gif|webp|svg\+xml)$/.test(file.type)) {
      setLogoError('Choose a PNG, JPEG, GIF, WebP or SVG image.');
      return;
    }
    const url = await readAsDataUrl(file);
    if (url.length > MAX_LOGO_TEXT) {
      setLogoError('The logo is too large (about 1 MB at most).');
      return;
    }
    form.setFieldValue('ispLogo', url);
  };

  const submit = form.onSubmit(async (v) => {
    const input = {
      ...v,
      currencyCode: v.currencyCode,
      minorDigits: typeof v.minorDigits === 'number' ? v.minorDigits : undefined,
      paymentTermsDays: typeof v.paymentTermsDays === 'number' ? v.paymentTermsDays : undefined,
      graceDays: typeof v.graceDays === 'number' ? v.graceDays : undefined,
      billingStartDate: v.billingStartDate || null,
    };
    for (const key of ['minorDigits', 'paymentTermsDays', 'graceDays'] as const) {
      if (input[key] === undefined) {
        form.setFieldError(key, 'Required');
        return;
      }
    }
    const saved = await run('billingSettings.update', input);
    if (!saved) return;
    await queryClient.invalidateQueries();
    notifications.show({ color: 'green', title: 'Billing settings saved', message: saved.ispName, withBorder: true });
  });

  return (
    <form onSubmit={submit} noValidate data-testid="billing-settings-form">
      <Stack gap="md" maw={900}>
        <FormAlert message={formError} onClose={clearFormError} />
        <Paper withBorder radius="md" p="md">
          <Title order={4} mb="sm">
            Money and terms
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="md" verticalSpacing="sm">
            <TextInput label="Currency" description="ISO 4217 code" withAsterisk maxLength={3} {...form.getInputProps('currencyCode')} />
            <NumberInput label="Decimals" description="Minor digits of the currency" min={0} max={4} allowDecimal={false} clampBehavior="none" {...form.getInputProps('minorDigits')} />
            <NumberInput label="Payment terms (days)" description="Due date after closing" min={0} max={365} allowDecimal={false} clampBehavior="none" {...form.getInputProps('paymentTermsDays')} />
            <NumberInput label="Grace period (days)" description="After the due date, before suspension" min={0} max={365} allowDecimal={false} clampBehavior="none" {...form.getInputProps('graceDays')} />
            <TextInput type="date" label="Billing start" description="Nothing earlier is billed (blank: from each service's start)" {...form.getInputProps('billingStartDate')} />
            <Select
              label="While suspended"
              description="Pause bills only the days served, prorated by days"
              data={[
                { value: 'keep', label: 'Keep billing' },
                { value: 'pause', label: 'Pause billing' },
              ]}
              allowDeselect={false}
              data-testid="billing-while-suspended"
              {...form.getInputProps('whileSuspended')}
            />
          </SimpleGrid>
          <Alert mt="md" color="gray" variant="light" icon={<IconInfoCircle size={18} />}>
            Amounts are stored in minor units of this one currency: change the currency or its decimals only before the first invoice. Rounding: {settings.roundingRule} Tax rates are set on{' '}
            <Anchor component={Link} to="/catalog/tax-classes" inherit>
              tax classes
            </Anchor>
            , each plan naming its class. While suspended: on Pause, suspended days already billed are credited when the suspension ends; a change applies to suspensions that begin after it.
          </Alert>
        </Paper>

        <Paper withBorder radius="md" p="md">
          <Title order={4} mb="sm">
            ISP identity on invoices and statements
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
            <TextInput label="Name" withAsterisk {...form.getInputProps('ispName')} />
            <TextInput label="Street" {...form.getInputProps('ispStreet')} />
            <TextInput label="City" {...form.getInputProps('ispCity')} />
            <TextInput label="Region" {...form.getInputProps('ispRegion')} />
            <TextInput label="Postal code" {...form.getInputProps('ispPostalCode')} />
            <TextInput label="Country" {...form.getInputProps('ispCountry')} />
            <TextInput label="Phone" {...form.getInputProps('ispPhone')} />
            <TextInput label="Email" {...form.getInputProps('ispEmail')} />
          </SimpleGrid>
          <Stack gap={6} mt="md">
            <Text size="sm" fw={500}>
              Logo
            </Text>
            <Group gap="md" align="center">
              {form.values.ispLogo ? (
                <Image src={form.values.ispLogo} alt="ISP logo" h={56} w="auto" fit="contain" data-testid="logo-preview" />
              ) : (
                <Text size="sm" c="dimmed">
                  No logo: documents show the name only.
                </Text>
              )}
              <FileButton onChange={(file) => void pickLogo(file)} accept="image/png,image/jpeg,image/gif,image/webp,image/svg+xml">
                {(props) => (
                  <Button variant="default" leftSection={<IconPhotoUp size={16} />} {...props}>
                    {form.values.ispLogo ? 'Replace logo' : 'Upload logo'}
                  </Button>
                )}
              </FileButton>
              {form.values.ispLogo && (
                <Button variant="subtle" color="red" leftSection={<IconTrash size={16} />} onClick={() => form.setFieldValue('ispLogo', null)}>
                  Remove
                </Button>
              )}
            </Group>
            {(logoError ?? form.errors.ispLogo) && (
              <Text size="xs" c="red" data-testid="logo-error">
                {logoError ?? form.errors.ispLogo}
              </Text>
            )}
          </Stack>
        </Paper>

        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            Last changed {formatDateTime(settings.updatedAt)}
          </Text>
          <Button type="submit" loading={form.submitting}>
            Save settings
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
