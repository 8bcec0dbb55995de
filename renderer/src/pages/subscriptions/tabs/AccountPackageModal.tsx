import { Checkbox, Modal, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { billingApi } from '../../../../../shared/api/billing';
import type { OutputOf } from '../../../../../shared/api/contract';
import { callApi, useApiQuery } from '../../../api/hooks';
import { FormAlert } from '../../../components/FormAlert';
import { FormModalFooter } from '../../../components/FormModalFooter';
import { formatDate } from '../../../lib/format';
import { useFormSubmit } from '../../../lib/use-form-submit';
import { today } from '../../catalog/form-helpers';

type Subscription = OutputOf<'subscriptions.get'>;
type AccountPackage = OutputOf<'accountPackages.get'>;

interface Values extends Record<string, unknown> {
  packageId: string | null;
  contractId: string | null;
  startDate: string;
  endDate: string;
}

const FIELDS = ['packageId', 'contractId', 'startDate', 'endDate', 'products'] as const;

const idOrNull = (v: string | null) => (v ? Number(v) : null);
const blankToNull = (t: string) => (t.trim() ? t.trim() : null);

function contractLabel(c: { name: string; termMonths: number }): string {
  return `${c.name} (${c.termMonths} month${c.termMonths === 1 ? '' : 's'})`;
}

/**
 * Provisions a package to a subscription, or edits an account package's contract and dates.
 * The package cannot change once provisioned: its services were made from its products.
 */
export function AccountPackageModal({ subscription, accountPackage, onClose }: { subscription: Subscription; accountPackage?: AccountPackage; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<Values>({
    initialValues: {
      packageId: accountPackage ? String(accountPackage.packageId) : null,
      contractId: accountPackage?.contractId ? String(accountPackage.contractId) : null,
      startDate: accountPackage?.startDate ?? today(),
      endDate: accountPackage?.endDate ?? '',
    },
  });
  const { formError, clearFormError, run } = useFormSubmit(form, FIELDS);
  const v = form.values;

  const packages = useApiQuery('packages.list', { active: true, page: 1, pageSize: 500 }, { enabled: !accountPackage, staleTime: 30_000 });
  const pkg = useApiQuery('packages.get', { id: Number(v.packageId) }, { enabled: Boolean(v.packageId) });
  const contracts = pkg.data?.contracts ?? [];
  // Picked products by id, each with its quantity; a package's minimum quantities are the default.
  const [picks, setPicks] = useState<{ packageId: number; quantities: Record<number, string> } | null>(null);
  const products = (pkg.data?.products ?? []).filter((p) => p.planId !== null);
  const quantities =
    pkg.data && picks?.packageId !== pkg.data.id
      ? Object.fromEntries(products.filter((p) => p.minQuantity !== null).map((p) => [p.id, String(p.minQuantity)]))
      : (picks?.quantities ?? {});
  const setQuantity = (productId: number, quantity: string | null) => {
    if (!pkg.data) return;
    const next = { ...quantities };
    if (quantity === null) delete next[productId];
    else next[productId] = quantity;
    setPicks({ packageId: pkg.data.id, quantities: next });
  };
  const pickedCount = Object.keys(quantities).length;

  const submit = form.onSubmit(async (values) => {
    let saved: AccountPackage | undefined;
    if (accountPackage) {
      const input = { id: accountPackage.id, contractId: idOrNull(values.contractId), startDate: values.startDate || undefined, endDate: blankToNull(values.endDate) };
      saved = await run('accountPackages.update', input);
    } else {
      const input = {
        subscriptionId: subscription.id,
        packageId: idOrNull(values.packageId) ?? undefined,
        contractId: idOrNull(values.contractId),
        startDate: values.startDate || undefined,
        endDate: blankToNull(values.endDate),
        products: Object.entries(quantities).map(([productId, quantity]) => ({ packageProductId: Number(productId), quantity: quantity.trim() || undefined })),
      };
      saved = await run('accountPackages.provision', input);
    }
    if (!saved) return;
    await queryClient.invalidateQueries();
    // An empty provision is allowed (products can be added later) but never looks like a finished one.
    const empty = !accountPackage && saved.services.length === 0;
    notifications.show({
      color: empty ? 'yellow' : 'green',
      title: accountPackage ? 'Account package saved' : empty ? 'Package provisioned without services' : 'Package provisioned',
      message: `${saved.packageName} from ${formatDate(saved.startDate)}${saved.endDate ? ` to ${formatDate(saved.endDate)}` : ', indefinitely'} · ${saved.services.length} service${saved.services.length === 1 ? '' : 's'}`,
      withBorder: true,
    });
    onClose();
  });

  return (
    <Modal opened onClose={onClose} title={accountPackage ? `Edit ${accountPackage.packageName}` : 'Provision package'} size="lg" centered>
      <form onSubmit={submit} noValidate data-testid="account-package-form">
        <Stack gap="sm">
          <FormAlert message={formError} onClose={clearFormError} />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
            <Select
              label="Package"
              withAsterisk
              data-autofocus
              searchable
              disabled={Boolean(accountPackage)}
              placeholder={packages.isLoading ? 'Loading packages…' : 'Choose a package'}
              nothingFoundMessage="No active package matches"
              data={accountPackage ? [{ value: String(accountPackage.packageId), label: accountPackage.packageName }] : (packages.data?.rows ?? []).map((p) => ({ value: String(p.id), label: p.name }))}
              {...form.getInputProps('packageId')}
              onChange={(id) => {
                form.setFieldValue('packageId', id);
                form.setFieldValue('contractId', null);
              }}
            />
            <Select
              label="Contract"
              placeholder={!v.packageId ? 'Choose a package first' : contracts.length === 0 ? 'This package has no contracts' : 'None'}
              disabled={!v.packageId || contracts.length === 0}
              clearable
              data={contracts.map((c) => ({ value: String(c.id), label: contractLabel(c) }))}
              {...form.getInputProps('contractId')}
            />
            <TextInput type="date" label="Start date" withAsterisk {...form.getInputProps('startDate')} />
            <TextInput type="date" label="End date" {...form.getInputProps('endDate')} />
          </SimpleGrid>
          {!accountPackage && pkg.data && (
            <Stack gap={4} data-testid="provision-products">
              <Text size="sm" fw={500}>
                Products to provision
              </Text>
              {products.length === 0 ? (
                <Text size="sm" c="dimmed">
                  This package has no product with a plan, so it provisions no service.
                </Text>
              ) : (
                <Table withTableBorder verticalSpacing={4}>
                  <Table.Tbody>
                    {products.map((p) => (
                      <Table.Tr key={p.id}>
                        <Table.Td>
                          <Checkbox label={p.name} checked={p.id in quantities} onChange={(e) => setQuantity(p.id, e.currentTarget.checked ? String(p.minQuantity ?? 1) : null)} />
                        </Table.Td>
                        <Table.Td w={120}>
                          <TextInput
                            size="xs"
                            aria-label={`Quantity of ${p.name}`}
                            disabled={!(p.id in quantities)}
                            value={quantities[p.id] ?? ''}
                            onChange={(e) => setQuantity(p.id, e.currentTarget.value)}
                          />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
              {products.length > 0 && pickedCount === 0 && (
                <Text size="xs" c="orange.8" data-testid="provision-nothing-picked">
                  No product picked: the package is provisioned without services (add products to it later).
                </Text>
              )}
              {form.errors.products && (
                <Text size="xs" c="red">
                  {form.errors.products}
                </Text>
              )}
            </Stack>
          )}
          <Text size="xs" c="dimmed">
            {accountPackage
              ? 'A blank end date runs indefinitely; an end date also ends its services that would run later. The start date moves only for one-time and prepaid usage products.'
              : 'The products picked become services from the start date. A blank end date runs indefinitely.'}
          </Text>
          <FormModalFooter onCancel={onClose} submitting={form.submitting} saveTestId="account-package-save" />
        </Stack>
      </form>
    </Modal>
  );
}

interface ProductValues extends Record<string, unknown> {
  packageProductId: string | null;
  quantity: string;
}

const PRODUCT_FIELDS = ['packageProductId', 'quantity'] as const;

/** Adds one more of the package's products to an account package, as a service. */
export function AddPackageProductModal({ accountPackage, onClose }: { accountPackage: AccountPackage; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<ProductValues>({ initialValues: { packageProductId: null, quantity: '' } });
  const { formError, clearFormError, run } = useFormSubmit(form, PRODUCT_FIELDS);
  const pkg = useApiQuery('packages.get', { id: accountPackage.packageId });
  const products = pkg.data?.products ?? [];

  const submit = form.onSubmit(async (values) => {
    const input = { id: accountPackage.id, packageProductId: idOrNull(values.packageProductId) ?? undefined, quantity: blankToNull(values.quantity) ?? undefined };
    const saved = await run('accountPackages.addProduct', input);
    if (!saved) return;
    await queryClient.invalidateQueries();
    notifications.show({ color: 'green', title: 'Product added', message: `${saved.packageName} now has ${saved.services.length} service${saved.services.length === 1 ? '' : 's'}`, withBorder: true });
    onClose();
  });

  return (
    <Modal opened onClose={onClose} title={`Add a product to ${accountPackage.packageName}`} centered>
      <form onSubmit={submit} noValidate data-testid="package-product-form">
        <Stack gap="sm">
          <FormAlert message={formError} onClose={clearFormError} />
          <Select
            label="Product"
            withAsterisk
            data-autofocus
            placeholder={pkg.isLoading ? 'Loading products…' : products.length === 0 ? 'This package has no products' : 'Choose a product'}
            data={products.map((p) => ({ value: String(p.id), label: `${p.name}${p.planName && p.planName !== p.name ? ` (${p.planName})` : ''}` }))}
            {...form.getInputProps('packageProductId')}
          />
          <TextInput label="Quantity" placeholder="Blank: the product's minimum, or 1" {...form.getInputProps('quantity')} />
          <FormModalFooter onCancel={onClose} submitting={form.submitting} saveLabel="Add" />
        </Stack>
      </form>
    </Modal>
  );
}
