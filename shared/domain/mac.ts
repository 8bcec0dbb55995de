/**
 * MAC addresses as staff type them: aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF, aabb.ccdd.eeff (Cisco)
 * or aabbccddeeff. Stored in one form, upper-case with colons, so searches and routers agree.
 */
const SPELLINGS = [
  /^([0-9a-f]{2})[:]([0-9a-f]{2})[:]([0-9a-f]{2})[:]([0-9a-f]{2})[:]([0-9a-f]{2})[:]([0-9a-f]{2})$/i,
  /^([0-9a-f]{2})-([0-9a-f]{2})-([0-9a-f]{2})-([0-9a-f]{2})-([0-9a-f]{2})-([0-9a-f]{2})$/i,
  /^([0-9a-f]{2})([0-9a-f]{2})\.([0-9a-f]{2})([0-9a-f]{2})\.([0-9a-f]{2})([0-9a-f]{2})$/i,
  /^([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i,
];

/** The normalized form, or null when the text is not a MAC address in one of the accepted spellings. */
export function normalizeMac(text: string): string | null {
  const t = text.trim();
  for (const re of SPELLINGS) {
    const m = re.exec(t);
    if (m) return m.slice(1).join(':').toUpperCase();
  }
  return null;
}

export type MacListVerdict = { ok: true; macs: string[] } | { ok: false; invalid: string; message: string };

/** A comma-separated list: each one normalized, duplicates dropped; the first invalid one is named. */
export function parseMacList(text: string): MacListVerdict {
  const macs: string[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const mac = normalizeMac(part);
    if (!mac) return { ok: false, invalid: part, message: `"${part}" is not a MAC address; write it like AA:BB:CC:DD:EE:FF` };
    if (!macs.includes(mac)) macs.push(mac);
  }
  return { ok: true, macs };
}
