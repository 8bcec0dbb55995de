import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend, type TestBackend } from '../../../../test/fixtures/backend';
import { makeNetwork, makePlan, makeRouter, makeService } from '../../../../test/fixtures/factories';
import { startTestNas, type TestNas } from '../../../../test/radius/nas';
import { captureLoopback, messageAuthenticatorMatches, readRadiusCapture } from '../../../../test/radius/peers';
import type { Attributes, RouterOsConnection } from '../routeros/types';
import { attr, Code } from './codec';
import type { Connect } from '../reconcile';
import { sendCoa, sendDisconnect } from './coa';

const SECRET = 'coa-secret-9';
let t: TestBackend;
let nas: TestNas;
let serviceId: number;
let planId: number;
let dir: string;

/** The router's API as the fallback sees it: an in-memory /ppp/active that records what was asked. */
function routerApi(active: Attributes[], log: string[]): Connect {
  return async () => {
    const connection: RouterOsConnection = {
      closed: false,
      async command(path, attributes = {}, queries = []) {
        log.push(`${path} ${JSON.stringify(attributes)} ${queries.join(' ')}`);
        if (path === '/ppp/active/print') return active.filter((a) => queries.every((q) => a[q.slice(1).split('=')[0]!] === q.split('=').slice(1).join('=')));
        if (path === '/ppp/active/remove') {
          const i = active.findIndex((a) => a['.id'] === attributes['.id']);
          if (i >= 0) active.splice(i, 1);
          return [];
        }
        return [];
      },
      async close() {},
    };
    return connection;
  };
}

beforeAll(async () => {
  t = await testBackend();
  dir = mkdtempSync(join(tmpdir(), 'towerline-coa-'));
  nas = await startTestNas(SECRET);
  await t.call('radius.updateSettings', { coaPort: nas.port });
  const router = await makeRouter(t, { address: '127.0.0.1', radiusSecret: SECRET, apiUser: 'admin', apiPassword: 'api-pw' });
  await makeNetwork(t, { cidr: '100.64.1.0/24', kind: 'permanent', gateway: '100.64.1.1', routerId: router.id });
  const plan = await makePlan(t, { downloadKbps: 50_000, uploadKbps: 10_000 });
  planId = plan.id;
  const service = await makeService(t, { login: 'erin', password: 'pw', planId: plan.id, routerId: router.id, ipv4Assignment: 'permanent', ipv4Address: '100.64.1.20' });
  serviceId = service.id;
  // The live session, as accounting reported it.
  await t.backend.datastore.db
    .insertInto('radius_sessions')
    .values({ nas_address: '127.0.0.1', router_id: router.id, acct_session_id: '81800007', login: 'erin', service_id: service.id, framed_ip: '100.64.1.20', started_at: '2026-12-01T10:00:00.000Z', updated_at: '2026-12-01T10:00:00.000Z' })
    .execute();
});

afterAll(async () => {
  await nas?.close();
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CoA and Disconnect-Requests to the NAS', () => {
  it('sends a speed change as a CoA-Request that tshark decodes with its attributes and a valid Message-Authenticator', async () => {
    const faster = await makePlan(t, { downloadKbps: 100_000, uploadKbps: 20_000 });
    await t.call('services.update', { id: serviceId, planId: faster.id });
    const capture = await captureLoopback(nas.port, join(dir, 'coa.pcap'));
    nas.behaviour = 'ack';
    const result = await sendCoa({ db: t.backend.datastore.db, secrets: t.backend.secrets }, { serviceId }, { timeoutMs: 500 });
    const file = await capture.stop();
    expect(result.done).toBe(true);
    expect(result.sessions).toEqual([{ acctSessionId: '81800007', nasAddress: '127.0.0.1', outcome: { ok: true, code: 'ack', attempts: 1 } }]);

    const fields = readRadiusCapture(file, nas.port, SECRET, ['-T', 'fields', '-E', 'separator=|', '-e', 'radius.code', '-e', 'radius.User_Name', '-e', 'radius.Acct_Session_Id', '-e', 'radius.Mikrotik_Rate_Limit', '-e', 'radius.authenticator.valid', '-e', 'udp.payload'])
      .trim()
      .split('\n')
      .map((line) => line.split('|'));
    expect(fields.map((f) => f[0])).toEqual([String(Code.CoaRequest), String(Code.CoaAck)]);
    const [request, ack] = fields;
    expect(request!.slice(1, 4)).toEqual(['erin', '81800007', '20M/100M']);
    // tshark validated the ACK's Response Authenticator against the request with the secret.
    expect(ack![4]).toBe('1');
    // The Message-Authenticator as it crossed the wire, taken from tshark's bytes.
    expect(messageAuthenticatorMatches(request![5]!, SECRET)).toBe(true);
    expect(messageAuthenticatorMatches(request![5]!, 'another-secret')).toBe(false);

    const verbose = readRadiusCapture(file, nas.port, SECRET, ['-V']);
    expect(verbose).toContain('Code: CoA-Request (43)');
    expect(verbose).toContain('Mikrotik-Rate-Limit: 20M/100M');
    expect(verbose).toContain('Framed-IP-Address: 100.64.1.20');
    expect(verbose).toContain('Message-Authenticator');
    await t.call('services.update', { id: serviceId, planId });
  });

  it('sends a Disconnect-Request that tshark decodes; a NAK with Error-Cause falls back to removing the session through the API', async () => {
    const capture = await captureLoopback(nas.port, join(dir, 'disconnect.pcap'));
    nas.behaviour = 'nak';
    const active: Attributes[] = [{ '.id': '*1A', name: 'erin' }, { '.id': '*1B', name: 'someone-else' }];
    const log: string[] = [];
    const result = await sendDisconnect({ db: t.backend.datastore.db, secrets: t.backend.secrets, connectRouter: routerApi(active, log) }, { serviceId }, { timeoutMs: 500 });
    const file = await capture.stop();
    expect(result.sessions[0]!.outcome).toEqual({ ok: false, code: 'nak', errorCause: 503, message: 'Refused: Session Context Not Found (503)', attempts: 1 });
    expect(result.fallback).toEqual({ used: true, removed: 1, error: null });
    expect(result.done).toBe(true);
    expect(active).toEqual([{ '.id': '*1B', name: 'someone-else' }]);
    expect(log[0]).toContain('?name=erin');

    const verbose = readRadiusCapture(file, nas.port, SECRET, ['-V']);
    expect(verbose).toContain('Code: Disconnect-Request (40)');
    expect(verbose).toContain('Code: Disconnect-NAK (42)');
    expect(verbose).toContain('Error-Cause: Session-Context-Not-Found (503)');
    expect(verbose).toContain('User-Name: erin');
    expect(verbose).toContain('Acct-Session-Id: 81800007');
    const last = nas.received.at(-1)!;
    expect(last.code).toBe(Code.DisconnectRequest);
    expect(attr(last, 'Mikrotik-Rate-Limit')).toBeUndefined();
  });

  it('retries a NAS that does not answer, then reports the timeout and that no API fallback was possible', async () => {
    nas.behaviour = 'silent';
    const before = nas.received.length;
    const result = await sendDisconnect({ db: t.backend.datastore.db, secrets: t.backend.secrets }, { serviceId }, { attempts: 3, timeoutMs: 100 });
    expect(nas.received.length - before).toBe(3);
    // The same packet each time: a retransmission, not three requests.
    expect(new Set(nas.received.slice(before).map((p) => p.raw.toString('hex'))).size).toBe(1);
    expect(result.sessions[0]!.outcome).toMatchObject({ ok: false, code: 'timeout', attempts: 3 });
    expect(result.fallback).toEqual({ used: true, removed: 0, error: 'No RouterOS API connection available' });
    expect(result.done).toBe(false);
    expect(nas.refused).toBe(0);
  });
});
