/**
 * Whether the web host refused this tab's access token. One refusal is enough to know: the tab
 * then shows one page that says how to get in, instead of an error in every panel.
 */
const listeners = new Set<() => void>();
let refused = false;

export function accessRefused(): boolean {
  return refused;
}

export function reportAccessRefused(): void {
  if (refused) return;
  refused = true;
  for (const listener of listeners) listener();
}

export function subscribeAccess(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
