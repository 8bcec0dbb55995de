import { ApiError, type Envelope } from './errors';
import type { InputOf, OutputOf, ProcedureName } from './contract';

/**
 * How a call reaches the back end. One per platform: Electron IPC in the desktop app,
 * HTTP in the web host, a direct function call in tests.
 */
export interface Transport {
  call(procedure: string, input: unknown): Promise<Envelope<unknown>>;
}

export interface ApiClient {
  /** Calls a procedure; resolves with its output or rejects with an {@link ApiError}. */
  call<P extends ProcedureName>(procedure: P, ...input: undefined extends InputOf<P> ? [InputOf<P>?] : [InputOf<P>]): Promise<OutputOf<P>>;
}

export function createClient(transport: Transport): ApiClient {
  return {
    async call(procedure: string, input?: unknown) {
      const envelope = await transport.call(procedure, input);
      if (envelope.ok) return envelope.value as never;
      throw ApiError.fromBody(envelope.error);
    },
  } as ApiClient;
}
