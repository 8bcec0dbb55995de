import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_BODY, MAX_FILE_BODY, type RunningWebHost, startWebHost } from '../../electron/host/web/server';
import { type TestBackend, testBackend } from '../fixtures/backend';
import { makeContact } from '../fixtures/factories';

/** Hostile requests against the web host (issue 10, findings 1 and 5): each gets an answer, and the host goes on. */
let t: TestBackend;
let host: RunningWebHost;
let staticDir: string;
const token = 'hostile-token';
const auth = { authorization: `Bearer ${token}` };

beforeAll(async () => {
  t = await testBackend();
  staticDir = join(t.dataDir, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Towerline</title>');
  host = await startWebHost({ backend: t.backend, token, port: 0, staticDir });
});
afterAll(async () => {
  await host.close();
  await t.close();
});

interface Answer {
  status: number;
  body: string;
}

/** A raw request: the path goes on the wire exactly as written (fetch would normalise some of it). */
function send(method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Answer> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: host.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(body);
  });
}

const json = { ...auth, 'content-type': 'application/json' };

describe('the web host under hostile requests', () => {
  it('answers malformed percent-encoding outside /api with 400 and keeps serving', async () => {
    for (const path of ['/%E0%A4%A', '/%', '/%ZZ', '/assets/%E0%A4%A.js', '/%00']) {
      const res = await send('GET', path);
      expect(res.status, path).toBe(400);
      expect(JSON.parse(res.body).error.message).toMatch(/percent-encoding/);
    }
    expect((await send('GET', '/api', auth)).status).toBe(200);
    const page = await send('GET', '/subscriptions/%41');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Towerline</title>');
    expect((await send('GET', '/..%2F..%2Fetc%2Fpasswd')).body).toContain('<title>Towerline</title>');
  });

  it('answers malformed or unknown procedure names with 400 or 404, never 500', async () => {
    for (const name of ['%E0%A4%A', '%', '%ZZ']) {
      const res = await send('POST', `/api/${name}`, json, '{}');
      expect(res.status, name).toBe(400);
    }
    for (const name of ['nope', 'contacts.explode', '..%2F..%2Fetc', 'contacts.list%00', '__proto__', 'constructor', 'toString', '%2E%2E', 'x'.repeat(5000)]) {
      const res = await send('POST', `/api/${name}`, json, '{}');
      expect(res.status, name).toBe(404);
      expect(JSON.parse(res.body).error.code).toBe('unknown_procedure');
    }
  });

  it('refuses a body over the limit with 413 and says so', async () => {
    const big = Buffer.alloc(MAX_BODY + 1, 0x20);
    const res = await send('POST', '/api/contacts.list', json, big);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.message).toMatch(/larger than the 10 MB limit/);
  });

  it("takes an import's spreadsheet past the 10 MB other calls get, up to the file limit", async () => {
    // 12 MB of base64: a workbook by its name, not by its bytes, which the import's report says.
    const base64 = Buffer.alloc(9 * 1024 * 1024, 0x41).toString('base64');
    const res = await send('POST', '/api/imports.preview', json, JSON.stringify({ kind: 'subscriptions', file: { name: 'big.xlsx', base64 } }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).errors[0].message).toBe('big.xlsx is not a valid Excel workbook (it may be damaged or truncated).');
    const over = await send('POST', '/api/imports.preview', { ...json, 'content-length': String(MAX_FILE_BODY + 4 * MAX_BODY) }, '{}');
    expect(over.status).toBe(413);
    expect(JSON.parse(over.body).error.message).toMatch(/larger than the 96 MB limit/);
  });

  it('refuses a body that is not JSON by its content type with 415', async () => {
    const bodies: [string, string][] = [
      ['text/plain', '{"query":"x"}'],
      ['application/x-www-form-urlencoded', 'query=x'],
      ['application/xml', '<query>x</query>'],
      ['multipart/form-data; boundary=x', '--x--'],
    ];
    for (const [type, body] of bodies) {
      const res = await send('POST', '/api/contacts.list', { ...auth, 'content-type': type }, body);
      expect(res.status, type).toBe(415);
      expect(JSON.parse(res.body).error.message).toMatch(/application\/json/);
    }
    const none = await send('POST', '/api/contacts.list', auth, '{}');
    expect(none.status).toBe(415);
    expect((await send('POST', '/api/contacts.list', { ...auth, 'content-type': 'application/json; charset=utf-8' }, '{}')).status).toBe(200);
  });

  it('turns a handler that throws into a 500 with a logged error id, and goes on', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const call = t.backend.call;
    t.backend.call = () => Promise.reject(new Error('boom from a handler'));
    try {
      const res = await send('POST', '/api/contacts.list', json, '{}');
      expect(res.status).toBe(500);
      const body = JSON.parse(res.body) as { error: { code: string; message: string; errorId: string } };
      expect(body.error.code).toBe('internal');
      expect(body.error.message).toContain(body.error.errorId);
      expect(log.mock.calls.some((c) => String(c[0]).includes(body.error.errorId))).toBe(true);
    } finally {
      t.backend.call = call;
      log.mockRestore();
    }
  });


  it('still answers a valid call after all of the above', async () => {
    const contact = await makeContact(t);
    const res = await send('POST', '/api/contacts.get', json, JSON.stringify({ id: contact.id }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).id).toBe(contact.id);
  });
});
