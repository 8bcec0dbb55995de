import { createHash } from 'node:crypto';
import { isIP, Socket, connect as netConnect } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { commandWords, encodeSentence, parseReply, SentenceFramer } from './protocol';
import { type Attributes, type RouterOsConnectOptions, type RouterOsConnection, RouterOsError } from './types';

/**
 * A RouterOS API client (plain or api-ssl). Every command carries a `.tag`, so several run at once
 * on one connection. Socket handlers never throw: whatever the router sends (a broken stream,
 * `!fatal`, reply words this client does not know) ends as a rejected command or a closed
 * connection, never as an exception in the process.
 */

export const DEFAULT_API_PORT = 8728;
export const DEFAULT_API_SSL_PORT = 8729;
export const DEFAULT_TIMEOUT_MS = 10_000;

interface Pending {
  rows: Attributes[];
  resolve: (rows: Attributes[]) => void;
  reject: (error: RouterOsError) => void;
  timer: NodeJS.Timeout | undefined;
}

/** Opens a connection and logs in; rejects with RouterOsError ('connection', 'timeout', 'login', …). */
export function connectRouterOs(options: RouterOsConnectOptions): Promise<RouterOsConnection> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const port = options.port ?? (options.tls ? DEFAULT_API_SSL_PORT : DEFAULT_API_PORT);
  return new Promise<RouterOsConnection>((resolve, reject) => {
    let settled = false;
    const settle = (error: RouterOsError | undefined, connection?: RouterOsConnection) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(connection!);
    };
    let socket: Socket | TLSSocket;
    try {
      socket = openSocket(options, port);
    } catch (error) {
      // A bad port or host option throws synchronously; it is still a connection error value.
      reject(new RouterOsError(`Cannot connect to ${options.host}:${port}: ${(error as Error).message}`, 'connection'));
      return;
    }
    const connection = new Connection(socket, timeoutMs);
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            settle(new RouterOsError(`No answer from ${options.host}:${port} within ${timeoutMs} ms`, 'timeout'));
            connection.destroy();
          }, timeoutMs)
        : undefined;
    // Until the login has finished, a dropped connection fails the connect.
    connection.onClosed = (error) => settle(error);
    socket.once(options.tls ? 'secureConnect' : 'connect', () => {
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 30_000);
      login(connection, options.user, options.password).then(
        () => {
          connection.onClosed = undefined;
          settle(undefined, connection);
        },
        (error: unknown) => {
          connection.destroy();
          settle(error instanceof RouterOsError ? error : new RouterOsError(String(error), 'login'));
        },
      );
    });
  });
}

function openSocket(options: RouterOsConnectOptions, port: number): Socket | TLSSocket {
  if (!options.tls) return netConnect({ host: options.host, port });
  const tlsOptions = typeof options.tls === 'object' ? options.tls : {};
  return tlsConnect({
    host: options.host,
    port,
    // SNI carries host names only; an address is checked against the certificate's IP SANs.
    ...(isIP(options.host) ? {} : { servername: options.host }),
    rejectUnauthorized: tlsOptions.rejectUnauthorized ?? true,
    ...(tlsOptions.ca !== undefined ? { ca: tlsOptions.ca } : {}),
  });
}

/**
 * The post-6.43 plain login; a router older than 6.43 answers it with a challenge (`=ret=`),
 * which is answered the old MD5 way so such routers keep working.
 */
async function login(connection: Connection, user: string, password: string): Promise<void> {
  try {
    const reply = await connection.command('/login', { name: user, password });
    const challenge = reply[0]?.ret;
    if (challenge === undefined) return;
    const md5 = createHash('md5');
    md5.update(Buffer.from([0]));
    md5.update(Buffer.from(password, 'utf8'));
    md5.update(Buffer.from(challenge, 'hex'));
    await connection.command('/login', { name: user, response: `00${md5.digest('hex')}` });
  } catch (error) {
    if (error instanceof RouterOsError && error.kind === 'trap') {
      throw new RouterOsError(`Login refused: ${error.message}`, 'login', error.category);
    }
    throw error;
  }
}

class Connection implements RouterOsConnection {
  private readonly framer = new SentenceFramer();
  private readonly pending = new Map<string, Pending>();
  private nextTag = 1;
  private closeError: RouterOsError | undefined;
  private closedPromise: Promise<void>;
  /** Called once when the connection ends, with the reason. */
  onClosed: ((error: RouterOsError) => void) | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly timeoutMs: number,
  ) {
    this.closedPromise = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error: Error) => {
      this.closeError ??= new RouterOsError(`Connection error: ${error.message}`, 'connection');
    });
    socket.on('close', () => this.end(this.closeError ?? new RouterOsError('Connection closed by the router', 'connection')));
  }

  get closed(): boolean {
    return this.closeError !== undefined || this.socket.destroyed;
  }

  command(path: string, attributes: Attributes = {}, queries: readonly string[] = []): Promise<Attributes[]> {
    if (this.closed) {
      return Promise.reject(this.closeError ?? new RouterOsError('Connection is closed', 'connection'));
    }
    const tag = String(this.nextTag++);
    let sentence: Buffer;
    try {
      sentence = encodeSentence(commandWords(path, attributes, queries, tag));
    } catch (error) {
      return Promise.reject(new RouterOsError(`Cannot encode ${path}: ${(error as Error).message}`, 'protocol'));
    }
    return new Promise<Attributes[]>((resolve, reject) => {
      const entry: Pending = { rows: [], resolve, reject, timer: undefined };
      if (this.timeoutMs > 0) {
        entry.timer = setTimeout(() => {
          if (this.pending.get(tag) !== entry) return;
          this.pending.delete(tag);
          reject(new RouterOsError(`${path}: no answer within ${this.timeoutMs} ms`, 'timeout'));
          // Ask the router to stop working on it; its late replies carry a tag no longer pending.
          this.write(encodeSentence(['/cancel', `=tag=${tag}`, `.tag=${this.nextTag++}`]));
        }, this.timeoutMs);
      }
      this.pending.set(tag, entry);
      this.write(sentence);
    });
  }

  async close(): Promise<void> {
    if (!this.socket.destroyed) {
      this.closeError ??= new RouterOsError('Connection closed', 'connection');
      this.failAll(this.closeError);
      this.socket.end();
      const forced = setTimeout(() => this.socket.destroy(), 1_000);
      await this.closedPromise;
      clearTimeout(forced);
    }
  }

  destroy(): void {
    this.socket.destroy();
  }

  private write(bytes: Buffer): void {
    if (this.socket.destroyed || this.socket.writableEnded) return;
    this.socket.write(bytes);
  }

  private onData(chunk: Buffer): void {
    try {
      for (const frame of this.framer.push(chunk)) {
        if (!frame.ok) {
          this.abort(new RouterOsError(`Malformed reply from the router: ${frame.error}`, 'protocol'));
          return;
        }
        this.onSentence(frame.words);
        if (this.socket.destroyed) return;
      }
    } catch (error) {
      // Only a bug here could throw; it still must not escape the socket handler.
      this.abort(new RouterOsError(`Reply handling failed: ${(error as Error).message}`, 'protocol'));
    }
  }

  private onSentence(words: string[]): void {
    const reply = parseReply(words);
    if (reply.type === '!fatal') {
      const reason = reply.other.join(' ') || reply.attributes.message || 'no reason given';
      this.abort(new RouterOsError(`The router ended the session: ${reason}`, 'fatal'));
      return;
    }
    const entry = reply.tag === undefined ? undefined : this.pending.get(reply.tag);
    // Late replies to timed-out commands, and reply words unknown to this client, are skipped.
    if (!entry || reply.tag === undefined) return;
    switch (reply.type) {
      case '!re':
        entry.rows.push(reply.attributes);
        // The timeout is for silence: a long print that keeps streaming is not cut off.
        entry.timer?.refresh();
        return;
      case '!trap':
        this.settle(reply.tag, entry);
        entry.reject(new RouterOsError(reply.attributes.message ?? 'The router refused the command', 'trap', reply.attributes.category));
        return;
      case '!done': {
        this.settle(reply.tag, entry);
        const hasAttributes = Object.keys(reply.attributes).length > 0;
        entry.resolve(entry.rows.length === 0 && hasAttributes ? [reply.attributes] : entry.rows);
        return;
      }
      default:
        // `!empty` (RouterOS 7.18+) precedes the `!done`; nothing to collect.
        return;
    }
  }

  private settle(tag: string, entry: Pending): void {
    clearTimeout(entry.timer);
    this.pending.delete(tag);
  }

  /** Ends the connection for a protocol error or `!fatal`, failing every pending command with it. */
  private abort(error: RouterOsError): void {
    this.closeError ??= error;
    this.socket.destroy();
    this.end(error);
  }

  private end(error: RouterOsError): void {
    this.failAll(this.closeError ?? error);
    const onClosed = this.onClosed;
    this.onClosed = undefined;
    onClosed?.(this.closeError ?? error);
  }

  private failAll(error: RouterOsError): void {
    const entries = [...this.pending.values()];
    this.pending.clear();
    for (const entry of entries) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
  }
}
