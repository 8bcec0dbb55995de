/** `S-000123`: six digits while they last, more after that; the number comes from a sequence. */
export function formatUniqueId(n: number): string {
  return `S-${String(n).padStart(6, '0')}`;
}
