import { createClient, type Client } from 'graphql-ws';
import { readToken } from './token';

/** A GraphQL error as the server sends it; `code` is its `extensions.code`. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
    readonly status: number,
  ) {
    super(message);
  }
}

interface Response<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/**
 * The dashboard's one way to the server: queries and mutations over HTTP (same origin, so the
 * browser boundary's Origin check passes and the JSON body satisfies its CSRF rule), and
 * subscriptions over graphql-ws. The token is read from the tab for every request.
 */
export class Api {
  #ws: Client | null = null;
  #wsToken = '';
  readonly listeners = new Set<(connected: boolean) => void>();

  constructor(readonly endpoint = '/graphql') {}

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const token = readToken();
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    let body: Response<T>;
    try {
      body = (await response.json()) as Response<T>;
    } catch {
      throw new ApiError(`the server answered ${response.status}`, null, response.status);
    }
    const error = body.errors?.[0];
    if (error || !body.data)
      throw new ApiError(
        error?.message ?? `no data (HTTP ${response.status})`,
        error?.extensions?.code ?? null,
        response.status,
      );
    return body.data;
  }

  /**
   * Subscribes until the server completes the operation or `stop` is called. When the connection
   * drops, it subscribes again with `variables()` asked anew, so a stream resumes from the cursor
   * its caller kept (the last log line shown) instead of starting over.
   */
  subscribe<T>(
    query: string,
    variables: () => Record<string, unknown>,
    handlers: { next(data: T): void; complete?(): void; error?(error: Error): void },
  ): () => void {
    let stopped = false;
    let unsubscribe: (() => void) | null = null;
    let attempt = 0;
    const start = () => {
      if (stopped) return;
      unsubscribe = this.#client().subscribe<T>(
        { query, variables: variables() },
        {
          next: (result) => {
            attempt = 0;
            if (result.errors?.length) {
              handlers.error?.(new ApiError(result.errors[0]!.message, null, 200));
              return;
            }
            if (result.data) handlers.next(result.data);
          },
          complete: () => {
            if (!stopped) handlers.complete?.();
          },
          error: (error: unknown) => {
            if (stopped) return;
            if (Array.isArray(error)) {
              // GraphQL errors of the operation itself: trying again would not help.
              handlers.error?.(new ApiError(String((error[0] as Error)?.message), null, 200));
              return;
            }
            attempt += 1;
            setTimeout(start, Math.min(5000, 250 * 2 ** attempt));
          },
        },
      );
    };
    start();
    return () => {
      stopped = true;
      unsubscribe?.();
    };
  }

  /** Drops the socket (a new token, or tests simulating a network cut) */
  reconnect(): void {
    const ws = this.#ws;
    this.#ws = null;
    // dispose() rejects with the CloseEvent of a socket that failed to connect (e.g. refused for
    // want of a token): that failure was already reported to its subscribers.
    Promise.resolve(ws?.dispose()).catch(() => undefined);
  }

  #client(): Client {
    const token = readToken();
    if (this.#ws && token === this.#wsToken) return this.#ws;
    this.reconnect();
    this.#wsToken = token;
    const url = new URL(this.endpoint, location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = createClient({
      url: url.href,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      retryAttempts: 0,
      lazy: true,
      keepAlive: 10_000,
      on: {
        connected: () => this.listeners.forEach((l) => l(true)),
        closed: () => {
          if (this.#ws === ws) this.#ws = null;
          this.listeners.forEach((l) => l(false));
        },
      },
    });
    this.#ws = ws;
    return ws;
  }
}
