import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testBackend, type TestBackend } from '../../test/fixtures/backend';
import { makePlan, makeRouter, makeService } from '../../test/fixtures/factories';
import { freeUdpPorts } from '../../test/peers/ports';
import { DATABASE_FILE } from './backend';
import { startBackground } from './background';
import { Code, decode, encodeAccessRequest } from './network/radius/codec';

const SECRET = 'restore-secret-4';
const opened: TestBackend[] = [];
afterAll(async () => {
  for (const t of opened) await t.close();
});

function ask(port: number, login: string, password: string): Promise<number | null> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const timer = setTimeout(() => (s.close(), resolve(null)), 1000);
    s.on('message', (m) => {
      clearTimeout(timer);
      s.close();
      const d = decode(m);
      resolve(d.ok ? d.packet.code : null);
    });
    s.send(encodeAccessRequest(3, randomBytes(16), [['User-Name', login], ['User-Password', password]], SECRET), port, '127.0.0.1');
  });
}

describe('background jobs across a restore', () => {
  it('answer RADIUS from the restored datastore, not the one it replaced', async () => {
    const current = await testBackend();
    opened.push(current);
    await makeRouter(current, { address: '127.0.0.1', radiusSecret: SECRET });
    await makeService(current, { login: 'before', password: 'before-pw', planId: (await makePlan(current, { downloadKbps: 10_000, uploadKbps: 2_000 })).id });

    // The "backup": another datastore whose only login is `after`.
    const other = await testBackend();
    await makeRouter(other, { address: '127.0.0.1', radiusSecret: SECRET });
    await makeService(other, { login: 'after', password: 'after-pw', planId: (await makePlan(other, { downloadKbps: 10_000, uploadKbps: 2_000 })).id });
    const otherFile = join(other.dataDir, DATABASE_FILE);
    await other.backend.close();
    // Sealed secrets open with the data directory's key: the restored copy must use this one's.
    const sealed = await current.backend.datastore.db.selectFrom('routers').select('radius_secret_sealed').executeTakeFirstOrThrow();

    const [authPort, acctPort] = (await freeUdpPorts(2)) as [number, number];
    const background = await startBackground(current.backend, { radius: { host: '127.0.0.1', authPort, acctPort }, log: () => {} });
    try {
      expect(await ask(authPort, 'before', 'before-pw')).toBe(Code.AccessAccept);
      expect(await ask(authPort, 'after', 'after-pw')).toBe(Code.AccessReject);

      const file = join(current.dataDir, DATABASE_FILE);
      await current.backend.reopen({
        swap: () => {
          renameSync(file, `${file}.aside`);
          for (const s of ['-wal', '-shm']) rmSync(file + s, { force: true });
          renameSync(otherFile, file);
        },
        undo: () => renameSync(`${file}.aside`, file),
      });
      await current.backend.datastore.db.updateTable('routers').set({ radius_secret_sealed: sealed.radius_secret_sealed }).execute();

      expect(background.status().every((j) => j.state === 'running')).toBe(true);
      expect(await ask(authPort, 'after', 'after-pw')).toBe(Code.AccessAccept);
      expect(await ask(authPort, 'before', 'before-pw')).toBe(Code.AccessReject);
    } finally {
      await background.stop();
      rmSync(other.dataDir, { recursive: true, force: true });
    }
  });
});
