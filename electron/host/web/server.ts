import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { isProcedureName } from '../../../shared/api/contract';
import { httpStatusOf } from '../../../shared/api/errors';
import { FILE_PROCEDURES, MAX_FILE_BASE64 } from '../../../shared/api/io';
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

/** The largest request body the API reads (a logo data URL in billing settings is the largest input). */
export const MAX_BODY = 10 * 1024 * 1024;
/** The largest body of a procedure that carries a spreadsheet (an import): the file's own limit and the JSON around it. */
export const MAX_FILE_BODY = MAX_FILE_BASE64 + 1024 * 1024;

/** How much of a request body a procedure reads. */
export function bodyLimitOf(procedure: string): number {
  return FILE_PROCEDURES.includes(procedure) ? MAX_FILE_BODY : MAX_BODY;
}
/** A body beyond the limit is read and dropped up to this much more, so an honest client sees the 413; past it the connection is cut. */
const DRAIN_BEYOND = 3 * MAX_BODY;
/** Procedure names are `<area>.<verb>`; anything else cannot be one, whatever its encoding. */
const PROCEDURE_NAME = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)+$/;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(text);
}

/** Logs an error with a short id that the answer carries, so a user's report can be matched to the log. */
function logError(what: string, error: unknown): string {
  const errorId = randomBytes(4).toString('hex');
  console.error(`[towerline] web host error ${errorId} (${what})`, error);
  return errorId;
}

function internalBody(errorId: string) {
  return { error: { code: 'internal', message: `The web host failed to answer (error id ${errorId}).`, errorId } };
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

/** The `token` query parameter, read without trusting URL parsing with hostile input. */
function tokenInQuery(query: string): string | null {
  try {
    return new URLSearchParams(query).get('token');
  } catch {
    return null;
  }
}

function requestHasToken(req: IncomingMessage, token: string): boolean {
  return tokenMatches(req.headers.authorization, token) || sameToken(cookieToken(req.headers.cookie), token);
}

class BodyTooLarge extends Error {}

/** Reads the body up to `limit`; a larger one is drained (up to DRAIN_BEYOND more) and refused as a whole. */
async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit + DRAIN_BEYOND) throw new BodyTooLarge();
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  if (size > limit) throw new BodyTooLarge();
  return Buffer.concat(chunks).toString('utf8');
}

/** `application/json` or a `+json` type, any parameters (charset) allowed. */
function isJsonContentType(header: string | undefined): boolean {
  const type = (header ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[a-z0-9.+-]*\+json$/.test(type);
}

/** The path's percent-decoding, or null when the encoding is malformed (`%E0%A4%A`, `%`, `%ZZ`). */
export function decodePath(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

const badUrl = { error: { code: 'validation', message: 'The address is not a valid URL (malformed percent-encoding).', fields: { '(url)': 'Malformed percent-encoding' } } } as const;

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
  const encoded = path.slice('/api/'.length);
  const procedure = decodePath(encoded);
  if (procedure === null) return sendJson(res, 400, badUrl);
  if (!PROCEDURE_NAME.test(procedure) || !isProcedureName(procedure)) {
    return sendJson(res, 404, { error: { code: 'unknown_procedure', message: `There is no procedure called "${procedure.slice(0, 100)}".` } });
  }
  const limit = bodyLimitOf(procedure);
  const declaredLength = Number(req.headers['content-length'] ?? 0);
  if (declaredLength > limit + DRAIN_BEYOND) return refuseTooLarge(req, res, limit);
  let body: string;
  try {
    body = await readBody(req, limit);
  } catch (error) {
    if (error instanceof BodyTooLarge) return refuseTooLarge(req, res, limit);
    throw error;
  }
  if (body.trim() !== '' && !isJsonContentType(req.headers['content-type'])) {
    const given = req.headers['content-type'] ?? 'none';
    return sendJson(res, 415, { error: { code: 'validation', message: `Send the input as JSON with "Content-Type: application/json" (this request said ${given.slice(0, 100)}).` } });
  }
  let input: unknown;
  try {
    input = body.trim() === '' ? undefined : JSON.parse(body);
  } catch {
    return sendJson(res, 400, { error: { code: 'validation', message: 'The request body is not valid JSON.', fields: { '(input)': 'Not valid JSON' } } });
  }
  const staffHeader = req.headers['x-towerline-staff'];
  const staffId = typeof staffHeader === 'string' && /^\d{1,15}$/.test(staffHeader) ? Number(staffHeader) : null;
  const envelope = await options.backend.call(procedure, input, { staffId });
  if (envelope.ok) sendJson(res, 200, envelope.value === undefined ? null : envelope.value);
  else sendJson(res, httpStatusOf[envelope.error.code], { error: envelope.error });
}

function refuseTooLarge(req: IncomingMessage, res: ServerResponse, limit: number): void {
  const mb = Math.floor(limit / (1024 * 1024));
  res.setHeader('connection', 'close');
  sendJson(res, 413, { error: { code: 'validation', message: `The request body is larger than the ${mb} MB limit.`, fields: { '(input)': `At most ${mb} MB` } } });
  // Whatever is still coming is not read: the connection closes once the answer is out.
  res.on('finish', () => req.destroy());
}

function serveStatic(req: IncomingMessage, res: ServerResponse, options: WebHostOptions, path: string, query: string): void {
  const staticDir = options.staticDir;
  const decoded = decodePath(path);
  if (decoded === null || decoded.includes('\0')) return sendJson(res, 400, badUrl);
  if (!staticDir || !existsSync(staticDir)) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('The renderer is not built. Run `npm run build:renderer`, or start with `npm run web`, which builds it.');
    return;
  }
  const root = resolve(staticDir);
  let file = resolve(join(root, normalize(decoded)));
  if (file !== root && !file.startsWith(root + sep)) {
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
  // Opened with the token: keep it as a session cookie for this browser's other tabs.
  const given = tokenInQuery(query);
  if (given && sameToken(given, options.token)) headers['set-cookie'] = `${TOKEN_COOKIE}=${options.token}; Path=/; HttpOnly; SameSite=Strict`;
  if (req.method === 'HEAD') {
    res.writeHead(200, headers).end();
    return;
  }
  // A file that vanishes or cannot be read between the check and the read must not take the host down.
  const stream = createReadStream(file);
  stream.once('error', (error) => {
    const errorId = logError('static file', error);
    if (!res.headersSent) sendJson(res, 500, internalBody(errorId));
    else res.destroy();
  });
  stream.once('open', () => {
    res.writeHead(200, headers);
    stream.pipe(res);
  });
}

export interface RunningWebHost {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startWebHost(options: WebHostOptions): Promise<RunningWebHost> {
  const server = createServer((req, res) => {
    // The request stream can fail (a client that goes away mid-body); the awaiting reader sees it.
    req.on('error', () => {});
    res.on('error', () => {});
    let work: Promise<void>;
    try {
      // The path as sent, before any query; URL parsing is not trusted with hostile input.
      const raw = req.url ?? '/';
      const q = raw.indexOf('?');
      const path = q < 0 ? raw : raw.slice(0, q);
      const query = q < 0 ? '' : raw.slice(q + 1);
      if (!path.startsWith('/')) work = Promise.resolve(sendJson(res, 400, badUrl));
      else work = path === '/api' || path.startsWith('/api/') ? handleApi(req, res, options, path) : Promise.resolve(serveStatic(req, res, options, path, query));
    } catch (error) {
      work = Promise.reject(error);
    }
    work.catch((error: unknown) => {
      const errorId = logError(`${req.method ?? '?'} request`, error);
      if (!res.headersSent) sendJson(res, 500, internalBody(errorId));
      else res.destroy();
    });
  });
  // A malformed request line or headers: Node answers 400 itself; this only keeps it from throwing.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
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
