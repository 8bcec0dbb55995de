import { randomInt } from 'node:crypto';

/** Letters and digits that cannot be misread on a printed sheet (no 0/O, 1/I/L). */
export const VOUCHER_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const VOUCHER_CODE_LENGTH = 8;

/**
 * One voucher code: a prefix and random characters from an unambiguous alphabet. 31^8 ≈ 8.5e11
 * codes, so guessing a valid one is impractical; uniqueness is still checked against the database.
 */
export function voucherCode(prefix: string, random: (max: number) => number = randomInt): string {
  let code = prefix;
  for (let i = 0; i < VOUCHER_CODE_LENGTH; i++) code += VOUCHER_ALPHABET[random(VOUCHER_ALPHABET.length)];
  return code;
}

/** `count` distinct codes none of which is in `taken`. */
export function voucherCodes(count: number, prefix: string, taken: (code: string) => boolean, random?: (max: number) => number): string[] {
  const codes = new Set<string>();
  while (codes.size < count) {
    const code = voucherCode(prefix, random);
    if (!taken(code)) codes.add(code);
  }
  return [...codes];
}
