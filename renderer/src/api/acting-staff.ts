/**
 * The staff member at the keyboard ("Working as" in the header). Both transports send it with
 * every call so the back end can record who changed what (status history: "who").
 * Kept in localStorage: it survives restarts of the app on this machine.
 */
const KEY = 'towerline.actingStaffId';
const listeners = new Set<() => void>();

function read(): number | null {
  try {
    const raw = window.localStorage.getItem(KEY);
    const id = raw ? Number(raw) : NaN;
    return Number.isInteger(id) && id > 0 ? id : null;
  } catch {
    return null;
  }
}

let current = read();

export function getActingStaffId(): number | null {
  return current;
}

export function setActingStaffId(id: number | null): void {
  current = id;
  try {
    if (id === null) window.localStorage.removeItem(KEY);
    else window.localStorage.setItem(KEY, String(id));
  } catch {
    // Storage may be unavailable (private mode); the choice still holds for this session.
  }
  for (const listener of listeners) listener();
}

export function subscribeActingStaff(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
