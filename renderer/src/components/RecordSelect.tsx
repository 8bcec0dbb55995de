import { Loader, Select, type SelectProps } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { OutputOf } from '../../../shared/api/contract';
import { useApiQuery } from '../api/hooks';
import { useSettled } from '../lib/use-debounced';

type ContactRow = OutputOf<'contacts.get'>;
type OrganizationRow = OutputOf<'organizations.get'>;

interface Option {
  value: number;
  label: string;
}

type BaseProps = Omit<SelectProps<number>, 'data' | 'value' | 'onChange' | 'searchValue' | 'onSearchChange' | 'filter'>;

/**
 * A searchable select over a server-paged list: the back end filters as the user types (a list of
 * thousands of contacts never travels to the window), and the chosen record stays shown even when
 * it is not in the current page of matches.
 */
function useRemoteOptions<Row extends { id: number }>(
  rows: Row[] | undefined,
  selected: Row | undefined,
  label: (row: Row) => string,
): Option[] {
  return useMemo(() => {
    const options = (rows ?? []).map((row) => ({ value: row.id, label: label(row) }));
    if (selected && !options.some((o) => o.value === selected.id)) options.unshift({ value: selected.id, label: label(selected) });
    return options;
  }, [rows, selected, label]);
}

const contactLabel = (c: ContactRow) => (c.organizationName ? `${c.displayName} (${c.organizationName})` : c.displayName);

/** The option that offers to create a contact from what was typed (no real id is negative). */
const CREATE_CONTACT = -1;

/** "Jane van Dyke" → first name "Jane", last name "van Dyke": the family name is usually what follows the first word. */
export function splitPersonName(text: string): { firstName: string; lastName: string } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  return { firstName: words[0] ?? '', lastName: words.slice(1).join(' ') };
}

/**
 * `onCreate`, when given, adds "Create contact ‘…’" below the matches of what was typed, the way a
 * CRM offers it, so a new subscriber does not mean leaving a half-filled form.
 */
export function ContactSelect({ value, onChange, onCreate, ...props }: BaseProps & { value: number | null; onChange: (id: number | null, contact: ContactRow | null) => void; onCreate?: (typed: string) => void }) {
  const [search, setSearch] = useState('');
  const settled = useSettled(search.trim(), 200);
  const fetched = useApiQuery('contacts.get', { id: value ?? 0 }, { enabled: value !== null });
  const selected = value !== null ? fetched.data : undefined;
  // Once chosen, the input shows the chosen label: that is not a search, so list from the top.
  const query = !settled || (selected && settled === contactLabel(selected)) ? undefined : settled;
  const list = useApiQuery('contacts.list', { query, page: 1, pageSize: 20 }, { keepPrevious: true });
  const matches = useRemoteOptions(list.data?.rows, selected, contactLabel);
  // Offered only for what is in the box now, once its matches are in: a stale offer (the last
  // choice's label after Save & New, or a search still settling) would create the wrong contact.
  const typed = query !== undefined && settled === search.trim() && !list.isFetching ? query : '';
  const data = useMemo(() => (onCreate && typed ? [...matches, { value: CREATE_CONTACT, label: `Create contact ‘${typed}’` }] : matches), [matches, onCreate, typed]);

  return (
    <Select<number>
      {...props}
      data={data}
      value={value}
      onChange={(id) => {
        if (id === CREATE_CONTACT) return onCreate?.(typed);
        onChange(id, id === null ? null : (list.data?.rows.find((c) => c.id === id) ?? (selected?.id === id ? selected : null)));
      }}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={list.isFetching ? 'Searching…' : 'No contact matches'}
      rightSection={list.isFetching ? <Loader size={14} /> : undefined}
      clearable
    />
  );
}

const organizationLabel = (o: OrganizationRow) => o.name;

export function OrganizationSelect({ value, onChange, ...props }: BaseProps & { value: number | null; onChange: (id: number | null) => void }) {
  const [search, setSearch] = useState('');
  const settled = useSettled(search.trim(), 200);
  const fetched = useApiQuery('organizations.get', { id: value ?? 0 }, { enabled: value !== null });
  const selected = value !== null ? fetched.data : undefined;
  // Once chosen, the input shows the chosen label: that is not a search, so list from the top.
  const query = !settled || (selected && settled === organizationLabel(selected)) ? undefined : settled;
  const list = useApiQuery('organizations.list', { query, page: 1, pageSize: 20 }, { keepPrevious: true });
  const data = useRemoteOptions(list.data?.rows, selected, organizationLabel);

  return (
    <Select<number>
      {...props}
      data={data}
      value={value}
      onChange={(id) => onChange(id)}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={list.isFetching ? 'Searching…' : 'No organization matches'}
      clearable
    />
  );
}

/**
 * Engineers: every staff member who may be responsible for a subscription. The list is short, so
 * it is filtered here. Inactive staff are offered only when already chosen (an old subscription).
 */
export function EngineerSelect({ value, onChange, ...props }: BaseProps & { value: number | null; onChange: (id: number | null) => void }) {
  const staff = useApiQuery('staff.list', { includeInactive: true }, { staleTime: 30_000 });
  const data = useMemo(
    () =>
      (staff.data ?? [])
        .filter((s) => s.active || s.id === value)
        .map((s) => ({ value: s.id, label: s.active ? `${s.name} · ${s.role}` : `${s.name} (inactive)` })),
    [staff.data, value],
  );
  return (
    <Select<number>
      {...props}
      data={data}
      value={value}
      onChange={(id) => onChange(id)}
      searchable
      nothingFoundMessage={staff.isLoading ? 'Loading staff…' : 'No staff member matches'}
      clearable
    />
  );
}
