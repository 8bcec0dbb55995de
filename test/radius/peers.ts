/**
 * Real RADIUS peers from Debian for tests: radclient and tshark, run on loopback. A missing
 * binary fails the test with a message naming the package.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import dgram from 'node:dgram';

const PACKAGES: Record<string, string> = { radclient: 'freeradius-utils', tshark: 'tshark', freeradius: 'freeradius' };

/** The binary's path; throws naming the Debian package when it is not installed. */
export function requireBinary(name: 'radclient' | 'tshark' | 'freeradius'): string {
  for (const dir of ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin']) {
    try {
      execFileSync('test', ['-x', `${dir}/${name}`]);
      return `${dir}/${name}`;
    } catch {
      // not here
    }
  }
  throw new Error(`${name} is not installed: apt-get install ${PACKAGES[name]} (the RADIUS tests run it against the built-in server)`);
}

export interface RadclientResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The reply's type as radclient printed it ("Access-Accept"), or null when nothing came back. */
  reply: string | null;
  /** Attributes of the reply, `Name = value` lines as radclient prints them (quotes removed). */
  attributes: Record<string, string>;
}

/** Runs `radclient -x host:port <command> secret` with the attribute lines on stdin. */
export function radclient(port: number, command: 'auth' | 'acct' | 'coa' | 'disconnect', secret: string, lines: readonly string[], options: { timeoutS?: number; retries?: number } = {}): Promise<RadclientResult> {
  const bin = requireBinary('radclient');
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['-x', '-r', String(options.retries ?? 1), '-t', String(options.timeoutS ?? 1), `127.0.0.1:${port}`, command, secret], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const received = /Received (\S+) Id \d+/.exec(stdout);
      const attributes: Record<string, string> = {};
      if (received) {
        const after = stdout.slice(received.index);
        for (const m of after.matchAll(/^\s+([A-Za-z][\w-]*) = (.*)$/gm)) attributes[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1');
      }
      resolve({ code, stdout, stderr, reply: received ? received[1]! : null, attributes });
    });
    child.stdin.end(`${lines.join('\n')}\n`);
  });
}

export interface Capture {
  /** Stops capturing and answers the pcap file. */
  stop(): Promise<string>;
}

/**
 * Starts `tshark -i lo -f 'udp port N' -w file` and resolves once it demonstrably captures: it says
 * "Capturing on" before the capture runs, so one-octet probes go to the port until tshark prints
 * one (read the file with `-Y radius` to leave them out).
 */
export function captureLoopback(port: number, file: string): Promise<Capture> {
  const bin = requireBinary('tshark');
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['-i', 'lo', '-f', `udp port ${port}`, '-w', file, '-P', '-l'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    let settled = false;
    const exited = new Promise<void>((r) => child.on('close', () => r()));
    const probe = dgram.createSocket('udp4');
    const probing = setInterval(() => probe.send(Buffer.from([0]), port, '127.0.0.1'), 100);
    const end = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearInterval(probing);
      clearTimeout(timer);
      probe.close();
      if (error) return reject(error);
      resolve({
        async stop() {
          // Let the last frames reach the file before stopping.
          await new Promise((r) => setTimeout(r, 300));
          child.kill('SIGINT');
          await exited;
          return file;
        },
      });
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      end(new Error(`tshark did not start capturing within 20 s: ${stderr}`));
    }, 20_000);
    child.on('error', (e) => end(e));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('UDP')) end();
    });
    child.on('close', (code) => end(new Error(`tshark exited (${code}) before capturing: ${stderr}`)));
  });
}

/** Reads a pcap with tshark as RADIUS on `port`, validating authenticators with the secret. */
export function readRadiusCapture(file: string, port: number, secret: string, extra: readonly string[]): string {
  const bin = requireBinary('tshark');
  return execFileSync(bin, ['-r', file, '-d', `udp.port==${port},radius`, '-o', `radius.shared_secret:${secret}`, '-o', 'radius.validate_authenticator:TRUE', '-Y', 'radius', ...extra], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Whether a request's Message-Authenticator, as it crossed the wire (tshark's `udp.payload` hex),
 * is the HMAC-MD5 of the packet with the authenticator field and itself zeroed (RFC 5176 §3.5).
 */
export function messageAuthenticatorMatches(payloadHex: string, secret: string): boolean {
  const wire = Buffer.from(payloadHex.replace(/:/g, ''), 'hex');
  // Attributes start at 20; find type 80 (length 18) walking the attribute list, not by search.
  let at = 20;
  while (at + 2 <= wire.length && wire[at] !== 80) at += Math.max(2, wire[at + 1]!);
  if (at + 18 > wire.length || wire[at + 1] !== 18) return false;
  const copy = Buffer.from(wire);
  copy.fill(0, 4, 20);
  copy.fill(0, at + 2, at + 18);
  return createHmac('md5', secret).update(copy).digest().equals(wire.subarray(at + 2, at + 18));
}
