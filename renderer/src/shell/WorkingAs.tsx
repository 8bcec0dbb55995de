import { Select } from '@mantine/core';
import { IconUserCircle } from '@tabler/icons-react';
import { useEffect, useMemo } from 'react';
import { useApiQuery } from '../api/hooks';
import { useActingStaff } from './use-acting-staff';

/** "Working as": the staff member recorded as "who" on changes made from this window. */
export function WorkingAs() {
  const [actingId, setActingId] = useActingStaff();
  const staff = useApiQuery('staff.list', { includeInactive: false }, { staleTime: 60_000 });
  const data = useMemo(() => (staff.data ?? []).map((s) => ({ value: s.id, label: s.name })), [staff.data]);

  // A remembered staff member who was deleted or deactivated no longer acts.
  useEffect(() => {
    if (staff.data && actingId !== null && !staff.data.some((s) => s.id === actingId)) setActingId(null);
  }, [staff.data, actingId, setActingId]);

  return (
    <Select<number>
      aria-label="Working as"
      data-testid="working-as"
      placeholder="Working as…"
      leftSection={<IconUserCircle size={18} />}
      data={data}
      value={actingId}
      onChange={(value) => setActingId(value)}
      searchable
      clearable
      w={220}
      size="sm"
      nothingFoundMessage="No active staff member"
      comboboxProps={{ withinPortal: true }}
    />
  );
}
