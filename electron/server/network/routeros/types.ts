/**
 * The RouterOS API client's shape, agreed between the client (client.ts) and its users (the
 * reconciler, usage polling). Replies are plain attribute maps as the router prints them
 * (`.id`, `name`, `disabled: 'true' | 'false'`, …).
 */
export type Attributes = Record<string, string>;

export interface RouterOsConnectOptions {
  host: string;
  /** Defaults to 8728, or 8729 with tls. */
  port?: number;
  user: string;
  password: string;
  /** API over TLS (api-ssl). */
  tls?: boolean | { rejectUnauthorized?: boolean; ca?: string };
  /** Connect and per-command timeout, ms. */
  timeoutMs?: number;
}

/** A `!trap` or `!fatal`, a timeout or a dropped connection, as a value: never thrown from a socket handler. */
export class RouterOsError extends Error {
  constructor(
    message: string,
    readonly kind: 'trap' | 'fatal' | 'timeout' | 'connection' | 'protocol' | 'login',
    /** The trap's category, when the router gave one. */
    readonly category?: string,
  ) {
    super(message);
    this.name = 'RouterOsError';
  }
}

export interface RouterOsConnection {
  /**
   * Runs one command (`/ppp/secret/print`, `/ppp/secret/add`, …) with `=name=value` attributes
   * and `?query` words; resolves with the `!re` sentences (empty for `!empty` or a bare `!done`;
   * a `!done` carrying `=ret=` resolves to `[{ ret }]`). Rejects with RouterOsError.
   * Commands run concurrently on one connection, told apart by `.tag`.
   */
  command(path: string, attributes?: Attributes, queries?: readonly string[]): Promise<Attributes[]>;
  close(): Promise<void>;
  readonly closed: boolean;
}
