import { safeStorage } from 'electron';
import type { SecretBox } from '../server/platform/secrets';

/** Secrets sealed by the OS keychain (Keychain, DPAPI, libsecret) through Electron's safeStorage. */
export function safeStorageSecretBox(): SecretBox {
  return {
    kind: 'safe-storage',
    encrypt: (plain) => `ss1:${safeStorage.encryptString(plain).toString('base64')}`,
    decrypt: (sealed) => {
      if (!sealed.startsWith('ss1:')) throw new Error('Not a safeStorage secret');
      return safeStorage.decryptString(Buffer.from(sealed.slice(4), 'base64'));
    },
  };
}
