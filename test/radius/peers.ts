/**
 * Real RADIUS peers from Debian for tests: radclient and tshark, run on loopback. A missing
 * binary fails the test with a message naming the package.
 */
import { execFileSync, spawn } from 'node:child_process';

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
