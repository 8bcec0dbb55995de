import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Encrypts secrets (router API passwords, RADIUS shared secrets) before they reach the datastore.
 * The desktop app supplies one backed by Electron's safeStorage (the OS keychain);
 * plain Node (web host, scripts, tests) uses {@link keyFileSecretBox}.
 */
export interface SecretBox {
  readonly kind: string;
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

const PREFIX = 'v1:';

/**
 * AES-256-GCM with a random 32-byte key kept in `secret.key` in the data directory, readable by
 * its owner only (mode 0600). It protects a copied or backed-up database file; anyone who can
 * read the data directory as the same user can read the key too, which the README states.
 */
export function keyFileSecretBox(dataDir: string): SecretBox {
  const file = join(dataDir, 'secret.key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32), { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  const key = readFileSync(file);
  if (key.length !== 32) throw new Error(`${file} is not a Towerline key file (expected 32 bytes).`);
  return {
    kind: 'key-file',
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    decrypt(sealed) {
      if (!sealed.startsWith(PREFIX)) throw new Error('Not a sealed secret');
      const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
