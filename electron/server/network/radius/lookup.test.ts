import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReadOnly } from '../../db/connection';
import { testBackend, type TestBackend } from '../../../../test/fixtures/backend';
import { createLookup, loginQueries } from './lookup';

let t: TestBackend;
beforeAll(async () => {
  t = await testBackend();
});
afterAll(async () => {
  await t?.close();
});

describe('the RADIUS server\'s login lookup', () => {
  it('reads a login through its unique index, never by scanning services or hotspot users', () => {
    const reader = openReadOnly(t.backend.datastore.file);
    try {
      const q = loginQueries(t.backend.datastore.db);
      for (const [compiled, index] of [[q.service, 'services_login_unique'], [q.hotspot, 'sqlite_autoindex_hotspot_users']] as const) {
        const plan = (reader.prepare(`explain query plan ${compiled.sql}`).all(compiled.parameters as unknown[]) as { detail: string }[]).map((r) => r.detail);
        expect(plan.join('\n')).toContain(index);
        expect(plan.some((d) => /^SCAN (s|h)\b/.test(d))).toBe(false);
      }
    } finally {
      reader.close();
    }
  });

  it('answers null for a login nobody has, and the default settings', () => {
    const reader = openReadOnly(t.backend.datastore.file);
    try {
      const lookup = createLookup(t.backend.datastore.db, reader);
      expect(lookup.login('nobody')).toBeNull();
      expect(lookup.settings()).toEqual({ suspendedAnswer: 'address-list', requireMessageAuthenticator: true, coaPort: 3799 });
    } finally {
      reader.close();
    }
  });
});
