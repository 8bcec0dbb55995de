import { Anchor, Badge, Breadcrumbs, Button, Group, Loader, Modal, NumberInput, Paper, Select, SimpleGrid, Stack, Switch, TagsInput, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { type ReactNode, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { QUESTION_KINDS, RATING_METHODS, catalogApi } from '../../../../shared/api/catalog';
import type { OutputOf } from '../../../../shared/api/contract';
import { callApi, useApiQuery } from '../../api/hooks';
import { ActiveBadge } from '../../components/ActiveBadge';
import { ConfirmDelete } from '../../components/ConfirmDelete';
import { FormAlert } from '../../components/FormAlert';
import { LoadError } from '../../components/LoadError';
import { PageHeader } from '../../components/PageHeader';
import { RowActions } from '../../components/RowActions';
import { type Money, useMoney } from '../../lib/money';
import { blankToUndefined, useFormSubmit } from '../../lib/use-form-submit';
import { PackageModal } from './PackagesPage';
import { FormModalFooter } from '../../components/FormModalFooter';
import { UpgradePathsSection } from './UpgradePathsSection';

type PackageDetail = OutputOf<'packages.get'>;
type Product = PackageDetail['products'][number];
type Question = PackageDetail['questions'][number];
type ContractTerm = PackageDetail['contracts'][number];
type RatingMethod = (typeof RATING_METHODS)[number];
type QuestionKind = (typeof QUESTION_KINDS)[number];

const RATING_LABELS: Record<RatingMethod, string> = { recurring: 'Recurring', 'one-time': 'One-time charge', 'prepaid-usage': 'Prepaid usage' };

/** One package: its products (with rating methods), contracts and profile questions. */
export function PackagePage() {
  const params = useParams<{ id: string }>();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const id = Number(params.id);
  const valid = Number.isInteger(id) && id > 0;
  const pkg = useApiQuery('packages.get', { id }, { enabled: valid });
  const { money, error: moneyError } = useMoney();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [product, setProduct] = useState<Product | 'new' | null>(null);
  const [contract, setContract] = useState<ContractTerm | 'new' | null>(null);
  const [question, setQuestion] = useState<Question | 'new' | null>(null);
  const [removing, setRemoving] = useState<{ what: string; name: string; run: () => Promise<unknown> } | null>(null);

  if (!valid) return <LoadError what="the package" error={new Error(`"${params.id}" is not a package id.`)} />;
  if (pkg.isLoading || (!money && !moneyError)) return <Loader m="xl" />;
  if (!pkg.data) return <LoadError what="the package" error={pkg.error} onRetry={() => pkg.refetch()} />;
  if (!money) return <LoadError what="the currency settings" error={moneyError} />;
  const k = pkg.data;

  return (
    <Stack gap="md">
      <PageHeader
        above={
          <Breadcrumbs separator="›" fz="sm">
            <Anchor component={Link} to="/catalog/packages">
              Packages
            </Anchor>
            <span>{k.name}</span>
          </Breadcrumbs>
        }
        title={
          <Group gap="sm">
            <span>{k.name}</span>
            <ActiveBadge active={k.active} />
          </Group>
        }
        description={k.description ?? `${k.accountPackageCount} subscriber${k.accountPackageCount === 1 ? '' : 's'} on this package`}
        actions={
          <>
            <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setEditing(true)}>
              Edit
            </Button>
            <Button variant="light" color="red" leftSection={<IconTrash size={16} />} onClick={() => setDeleting(true)}>
              Delete
            </Button>
          </>
        }
      />

      <Section title="Products" count={k.products.length} onAdd={() => setProduct('new')} addLabel="Add product">
        <DataTable<Product>
          withTableBorder={false}
          verticalSpacing="xs"
          records={k.products}
          noRecordsText="No products in this package."
          minHeight={k.products.length ? undefined : 120}
          customRowAttributes={() => ({ 'data-testid': 'product-row' })}
          columns={[
            { accessor: 'name', title: 'Product' },
            { accessor: 'planName', title: 'Plan', render: (p) => (p.planName ? `${p.planName} (${p.planKind})` : <Text size="sm" c="red">None: edit it to choose one</Text>) },
            { accessor: 'ratingMethod', title: 'Rating', width: 150, render: (p) => RATING_LABELS[p.ratingMethod] },
            { accessor: 'priceCents', title: 'Price', width: 110, textAlign: 'right', cellsClassName: 'tabular', render: (p) => money.format(p.priceCents) },
            { accessor: 'minQuantity', title: 'Min. qty', width: 90, textAlign: 'right', render: (p) => (p.minQuantity === null ? '' : `${p.minQuantity}${p.unit ? ` ${p.unit}` : ''}`) },
            {
              accessor: 'actions',
              title: '',
              width: 90,
              render: (p) => (
                <RowActions
                  name={p.name}
                  onEdit={() => setProduct(p)}
                  onDelete={() => setRemoving({ what: 'product', name: p.name, run: () => callApi('packages.removeProduct', { id: p.id }) })}
                />
              ),
            },
          ]}
        />
      </Section>

      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Section title="Contracts" count={k.contracts.length} onAdd={() => setContract('new')} addLabel="Add contract">
          {k.contracts.length === 0 ? (
            <Empty>No contract: subscribers may leave at any time.</Empty>
          ) : (
          <DataTable<ContractTerm>
            // The table's default height is 100% of its card, which a grid row stretches: it then
            // spilled below the card by the height of the card's own header.
            height="auto"
            withTableBorder={false}
            verticalSpacing="xs"
            records={k.contracts}
            customRowAttributes={() => ({ 'data-testid': 'contract-row' })}
            columns={[
              { accessor: 'name', title: 'Contract' },
              { accessor: 'termMonths', title: 'Term', width: 110, render: (c) => `${c.termMonths} month${c.termMonths === 1 ? '' : 's'}` },
              { accessor: 'cancellationFeeCents', title: 'Early-cancellation fee', textAlign: 'right', cellsClassName: 'tabular', render: (c) => money.format(c.cancellationFeeCents) },
              {
                accessor: 'actions',
                title: '',
                width: 90,
                render: (c) => (
                  <RowActions
                    name={c.name}
                    onEdit={() => setContract(c)}
                    onDelete={() => setRemoving({ what: 'contract', name: c.name, run: () => callApi('packages.removeContract', { id: c.id }) })}
                  />
                ),
              },
            ]}
          />
          )}
        </Section>
        <Section title="Profile questions" count={k.questions.length} onAdd={() => setQuestion('new')} addLabel="Add question">
          {k.questions.length === 0 ? (
            <Empty>No profile questions: provisioning asks nothing extra.</Empty>
          ) : (
          <DataTable<Question>
            // The table's default height is 100% of its card, which a grid row stretches: it then
            // spilled below the card by the height of the card's own header.
            height="auto"
            withTableBorder={false}
            verticalSpacing="xs"
            records={k.questions}
            customRowAttributes={() => ({ 'data-testid': 'question-row' })}
            columns={[
              { accessor: 'label', title: 'Question' },
              { accessor: 'kind', title: 'Answer', width: 160, render: (q) => (q.kind === 'choice' ? `One of ${q.choices.length}` : q.kind) },
              { accessor: 'required', title: 'Required', width: 110, render: (q) => (q.required ? 'Yes' : '') },
              {
                accessor: 'actions',
                title: '',
                width: 90,
                render: (q) => (
                  <RowActions
                    name={q.label}
                    onEdit={() => setQuestion(q)}
                    onDelete={() => setRemoving({ what: 'question', name: q.label, run: () => callApi('packages.removeQuestion', { id: q.id }) })}
                  />
                ),
              },
            ]}
          />
          )}
        </Section>
      </SimpleGrid>

      <UpgradePathsSection packageId={k.id} money={money} />

      {editing && <PackageModal pkg={k} onClose={() => setEditing(false)} />}
      {product && <ProductModal packageId={k.id} product={product === 'new' ? undefined : product} money={money} onClose={() => setProduct(null)} />}
      {contract && <ContractModal packageId={k.id} contract={contract === 'new' ? undefined : contract} money={money} onClose={() => setContract(null)} />}
      {question && <QuestionModal packageId={k.id} question={question === 'new' ? undefined : question} onClose={() => setQuestion(null)} />}
      <ConfirmDelete
        opened={removing !== null}
        title={`Remove ${removing?.what ?? ''}`}
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          await removing.run();
          await queryClient.invalidateQueries();
        }}
      >
        Remove <Text span fw={600}>{removing?.name}</Text> from {k.name}?
      </ConfirmDelete>
      <ConfirmDelete
        opened={deleting}
        title="Delete package"
        onClose={() => setDeleting(false)}
        onConfirm={async () => {
          await callApi('packages.delete', { id: k.id });
          await queryClient.invalidateQueries();
          navigate('/catalog/packages');
        }}
      >
        Delete <Text span fw={600}>{k.name}</Text>? A package provisioned to subscribers cannot be deleted; make it inactive instead.
      </ConfirmDelete>
    </Stack>
  );
}

/**
 * An empty list inside a half-width card: a line of text, not an empty table, whose header and
 * placeholder did not fit the card.
 */
function Empty({ children }: { children: ReactNode }) {
  return (
    <Text size="sm" c="dimmed" ta="center" py="lg" data-testid="section-empty">
      {children}
    </Text>
  );
}

function Section({ title, count, onAdd, addLabel, children }: { title: string; count: number; onAdd: () => void; addLabel: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="md">
      <Group justify="space-between" mb="xs">
        <Group gap="xs">
          <Text fw={600}>{title}</Text>
          <Badge variant="light" color="gray" size="sm">
            {count}
          </Badge>
        </Group>
        <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={onAdd}>
          {addLabel}
        </Button>
      </Group>
      {children}
    </Paper>
  );
}

function FormButtons({ onClose, busy }: { onClose: () => void; busy: boolean }) {
  return (
    <FormModalFooter onCancel={onClose} submitting={busy} />
  );
}

const numberOrNull = (v: number | string) => (typeof v === 'number' ? v : null);

interface ProductValues extends Record<string, unknown> {
  planId: number | null;
  name: string;
  ratingMethod: RatingMethod;
  priceCents: string;
  minQuantity: number | string;
  unit: string;
}
const PRODUCT_FIELDS = ['planId', 'name', 'ratingMethod', 'priceCents', 'minQuantity', 'unit', 'position'] as const;

function ProductModal({ packageId, product, money, onClose }: { packageId: number; product?: Product; money: Money; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<ProductValues>({
    initialValues: {
      planId: product?.planId ?? null,
      name: product?.name ?? '',
      ratingMethod: product?.ratingMethod ?? 'recurring',
      priceCents: product ? money.toText(product.priceCents) : '',
      minQuantity: product?.minQuantity ?? '',
      unit: product?.unit ?? '',
    },
  });
  const { formError, clearFormError, run } = useFormSubmit(form, PRODUCT_FIELDS);
  const plans = useApiQuery('plans.list', { active: true, page: 1, pageSize: 500 });
  const planOptions = useMemo(() => (plans.data?.rows ?? []).map((p) => ({ value: p.id, label: `${p.name} · ${p.kind} · ${money.format(p.priceCents)}` })), [plans.data, money]);

  const submit = form.onSubmit(async (values) => {
    const price = money.parse(values.priceCents);
    // A blank price goes to the contract as missing, so its "Required" shows with the other fields'.
    if (values.priceCents.trim() !== '' && !price.ok) {
      form.setFieldError('priceCents', price.message);
      return;
    }
    const fields = {
      planId: blankToUndefined(values.planId),
      name: values.name,
      ratingMethod: values.ratingMethod,
      priceCents: price.ok ? price.value : undefined,
      minQuantity: numberOrNull(values.minQuantity),
      unit: values.unit,
    };
    const saved = product
      ? await run('packages.updateProduct', { id: product.id, ...fields })
      : await run('packages.addProduct', { packageId, ...fields });
    if (!saved) return;
    await queryClient.invalidateQueries();
    notifications.show({ color: 'green', title: product ? 'Product saved' : 'Product added', message: `${values.name} in ${saved.name}`, withBorder: true });
    onClose();
  });

  return (
    <Modal opened onClose={onClose} title={product ? `Edit ${product.name}` : 'Add product'} size="lg" centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormAlert message={formError} onClose={clearFormError} />
          <Select<number>
            label="Plan"
            withAsterisk
            description="What the product bills as (its kind and tax class). For a fee such as installation, a Custom plan."
            placeholder="Choose a plan"
            data={planOptions}
            searchable
            data-autofocus
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('planId')}
            onChange={(planId) => {
              form.setFieldValue('planId', planId);
              const p = plans.data?.rows.find((r) => r.id === planId);
              // The plan's name and price are the likely ones; typed values are not overwritten.
              if (p && !form.values.name.trim()) form.setFieldValue('name', p.name);
              if (p && !form.values.priceCents.trim()) form.setFieldValue('priceCents', money.toText(p.priceCents));
            }}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
            <TextInput label="Name" withAsterisk {...form.getInputProps('name')} />
            <Select<RatingMethod>
              label="Rating method"
              withAsterisk
              data={RATING_METHODS.map((r) => ({ value: r, label: RATING_LABELS[r] }))}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
              {...form.getInputProps('ratingMethod')}
            />
            <TextInput label="Price" withAsterisk placeholder="0.00" leftSection={<Text size="xs" c="dimmed">{money.currency}</Text>} leftSectionWidth={44} {...form.getInputProps('priceCents')} />
            <Group grow gap="sm" align="flex-start">
              <NumberInput label="Minimum quantity" allowDecimal={false} allowNegative={false} {...form.getInputProps('minQuantity')} />
              <TextInput label="Unit" placeholder="e.g. GB" {...form.getInputProps('unit')} />
            </Group>
          </SimpleGrid>
          <FormButtons onClose={onClose} busy={form.submitting} />
        </Stack>
      </form>
    </Modal>
  );
}

interface ContractValues extends Record<string, unknown> {
  name: string;
  termMonths: number | string;
  cancellationFeeCents: string;
}
const CONTRACT_FIELDS = ['name', 'termMonths', 'cancellationFeeCents'] as const;

function ContractModal({ packageId, contract, money, onClose }: { packageId: number; contract?: ContractTerm; money: Money; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<ContractValues>({
    initialValues: { name: contract?.name ?? '', termMonths: contract?.termMonths ?? 12, cancellationFeeCents: contract ? money.toText(contract.cancellationFeeCents) : '' },
  });
  const { formError, clearFormError, run } = useFormSubmit(form, CONTRACT_FIELDS);

  const submit = form.onSubmit(async (values) => {
    const fee = values.cancellationFeeCents.trim() === '' ? ({ ok: true, value: 0 } as const) : money.parse(values.cancellationFeeCents);
    if (!fee.ok) {
      form.setFieldError('cancellationFeeCents', fee.message);
      return;
    }
    const fields = { name: values.name, termMonths: numberOrNull(values.termMonths) ?? undefined, cancellationFeeCents: fee.value };
    const saved = contract
      ? await run('packages.updateContract', { id: contract.id, ...fields })
      : await run('packages.addContract', { packageId, ...fields });
    if (!saved) return;
    await queryClient.invalidateQueries();
    notifications.show({ color: 'green', title: contract ? 'Contract saved' : 'Contract added', message: `${values.name} on ${saved.name}`, withBorder: true });
    onClose();
  });

  return (
    <Modal opened onClose={onClose} title={contract ? `Edit ${contract.name}` : 'Add contract'} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormAlert message={formError} onClose={clearFormError} />
          <TextInput label="Name" withAsterisk data-autofocus placeholder="e.g. 12-month contract" {...form.getInputProps('name')} />
          <NumberInput label="Minimum term (months)" withAsterisk allowDecimal={false} allowNegative={false} {...form.getInputProps('termMonths')} />
          <TextInput label="Early-cancellation fee" placeholder="0.00" leftSection={<Text size="xs" c="dimmed">{money.currency}</Text>} leftSectionWidth={44} {...form.getInputProps('cancellationFeeCents')} />
          <FormButtons onClose={onClose} busy={form.submitting} />
        </Stack>
      </form>
    </Modal>
  );
}

interface QuestionValues extends Record<string, unknown> {
  label: string;
  kind: QuestionKind;
  choices: string[];
  required: boolean;
}
const QUESTION_FIELDS = ['label', 'kind', 'choices', 'required', 'position'] as const;

function QuestionModal({ packageId, question, onClose }: { packageId: number; question?: Question; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<QuestionValues>({
    initialValues: { label: question?.label ?? '', kind: question?.kind ?? 'text', choices: question?.choices ?? [], required: question?.required ?? false },
  });
  const { formError, clearFormError, run } = useFormSubmit(form, QUESTION_FIELDS);

  const submit = form.onSubmit(async (values) => {
    const fields = { ...values, choices: values.kind === 'choice' ? values.choices : [] };
    const saved = question
      ? await run('packages.updateQuestion', { id: question.id, ...fields })
      : await run('packages.addQuestion', { packageId, ...fields });
    if (!saved) return;
    await queryClient.invalidateQueries();
    notifications.show({ color: 'green', title: question ? 'Question saved' : 'Question added', message: `${values.label} on ${saved.name}`, withBorder: true });
    onClose();
  });

  return (
    <Modal opened onClose={onClose} title={question ? 'Edit profile question' : 'Add profile question'} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormAlert message={formError} onClose={clearFormError} />
          <TextInput label="Question" withAsterisk data-autofocus placeholder="e.g. Tower, Antenna height" {...form.getInputProps('label')} />
          <Select<QuestionKind>
            label="Answer"
            data={[
              { value: 'text', label: 'Text' },
              { value: 'number', label: 'Number' },
              { value: 'choice', label: 'One of a list' },
            ]}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('kind')}
          />
          {form.values.kind === 'choice' && <TagsInput label="Choices" description="Press Enter after each choice" {...form.getInputProps('choices')} />}
          <Switch label="An answer is required" {...form.getInputProps('required', { type: 'checkbox' })} />
          <FormButtons onClose={onClose} busy={form.submitting} />
        </Stack>
      </form>
    </Modal>
  );
}
