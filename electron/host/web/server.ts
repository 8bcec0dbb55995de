import { timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { httpStatusOf } from '../../../shared/api/errors';
import { describeContract } from '../../server/api/dispatch';
import type { Backend } from '../../server/backend';

/**
 * The HTTP transport of the API contract, plus the built renderer, on 127.0.0.1 only.
 * `POST /api/<procedure>` with the input as JSON; `GET /api` lists procedures and input schemas.
 * Every API request needs the per-launch token as `Authorization: Bearer <token>`.
 */
export interface WebHostOptions {
  backend: Backend;
  token: string;
  port: number;
  /** The built renderer (out/renderer); the API works without it. */
  staticDir?: string;
  host?: string;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** The same policy the Electron window gets: nothing loads from anywhere but here. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

const MAX_BODY = 10 * 1024 * 1024;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(text);
}

function sameToken(text: string, token: string): boolean {
  const given = Buffer.from(text);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function tokenMatches(header: string | undefined, token: string): boolean {
  return sameToken(header?.startsWith('Bearer ') ? header.slice(7) : '', token);
}

/**
 * The token as a session cookie, so a link opened in a new tab (Ctrl+click, a pasted address)
 * works for the rest of the browser session. HttpOnly keeps it from scripts; SameSite=Strict and
 * the JSON-only API (cross-origin JSON posts need a preflight nobody answers) keep other sites out.
 */
const TOKEN_COOKIE = 'towerline_token';

function cookieToken(header: string | undefined): string {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === TOKEN_COOKIE) return part.slice(eq + 1).trim();
  }
  return '';
}

function requestHasToken(req: IncomingMessage, token: string): boolean {
  return tokenMatches(req.headers.authorization, token) || sameToken(cookieToken(req.headers.cookie), token);
}

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function handleApi(req: IncomingMessage, res: ServerResponse, options: WebHostOptions, path: string): Promise<void> {
  if (!requestHasToken(req, options.token)) {
    sendJson(res, 401, { error: { code: 'unauthorized', message: 'Missing or wrong access token. Use the URL the web host printed at start.' } });
    return;
  }
  if (path === '/api' || path === '/api/') {
    if (req.method !== 'GET') return sendJson(res, 405, { error: { code: 'validation', message: 'Use GET /api to list procedures.' } });
    return sendJson(res, 200, { procedures: describeContract() });
  }
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    return sendJson(res, 405, { error: { code: 'validation', message: 'Call procedures with POST.' } });
  }
  let input: unknown;
  try {
    const body = await readBody(req);
    input = body.trim() === '' ? undefined : JSON.parse(body);
  } catch {
    return sendJson(res, 400, { error: { code: 'validation', message: 'The request body is not valid JSON.', fields: { '(input)': 'Not valid JSON' } } });
  }
  const staffHeader = req.headers['x-towerline-staff'];
  const staffId = typeof staffHeader === 'string' && /^\d+$/.test(staffHeader) ? Number(staffHeader) : null;
  const procedure = decodeURIComponent(path.slice('/api/'.length));
  const envelope = await options.backend.call(procedure, input, { staffId });
  if (envelope.ok) sendJson(res, 200, envelope.value === undefined ? null : envelope.value);
  else sendJson(res, httpStatusOf[envelope.error.code], { error: envelope.error });
}

function serveStatic(req: IncomingMessage, res: ServerResponse, options: WebHostOptions, path: string, query: URLSearchParams): void {
  const staticDir = options.staticDir;
  if (!staticDir || !existsSync(staticDir)) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('The renderer is not built. Run `npm run build:renderer`, or start with `npm run web`, which builds it.');
    return;
  }
  const root = resolve(staticDir);
  let file = resolve(join(root, normalize(decodeURIComponent(path))));
  if (!file.startsWith(root)) {
    res.writeHead(403).end();
    return;
  }
  // Client-side routes fall back to the app shell.
  if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
  const headers: Record<string, string> = {
    'content-type': MIME[extname(file)] ?? 'application/octet-stream',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  if (file.endsWith('.html')) {
    headers['content-security-policy'] = CONTENT_SECURITY_POLICY;
    headers['cache-control'] = 'no-store';
  }
  const given = query.get('token');
  if (given && sameToken(given, options.token)) res.setHeader('set-cookie', `${TOKEN_COOKIE}=${options.token}; Path=/; HttpOnly; SameSite=Strict`);
  res.writeHead(200, headers);
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}

export interface RunningWebHost {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startWebHost(options: WebHostOptions): Promise<RunningWebHost> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const work = path === '/api' || path.startsWith('/api/') ? handleApi(req, res, options, path) : Promise.resolve(serveStatic(req, res, options, path, url.searchParams));
    work.catch((error: unknown) => {
      console.error('[towerline] web host error', error);
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'internal', message: 'The web host failed to answer.' } });
      else res.end();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port, host, () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://${host}:${port}/`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
