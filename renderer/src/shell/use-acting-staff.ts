import { useSyncExternalStore } from 'react';
import { getActingStaffId, setActingStaffId, subscribeActingStaff } from '../api/acting-staff';

export function useActingStaff(): [number | null, (id: number | null) => void] {
  const id = useSyncExternalStore(subscribeActingStaff, getActingStaffId, getActingStaffId);
  return [id, setActingStaffId];
}
