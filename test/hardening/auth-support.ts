/**
 * Real clients that present API tokens (fetch with `Authorization`, the graphql-ws client with
 * connection parameters or upgrade headers, server-sent events over fetch), recording every answer
 * so a test can assert that no secret was ever sent back.
 */
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { parseSseEvents, wsUrl } from '../graphql/support.js';

export type Result<T = Record<string, unknown>> = FormattedExecutionResult<
  T,
  Record<string, unknown>
>;

/** Every body and header the server sent back, as text. */
export class Answers {
  readonly texts: string[] = [];

  record(text: string): void {
    this.texts.push(text);
  }

  /** The secrets that appear in any answer (none, hopefully). */
  leaked(secrets: readonly string[]): string[] {
    return secrets.filter((secret) => this.texts.some((text) => text.includes(secret)));
  }
}

const headersText = (response: Response) => JSON.stringify([...response.headers.entries()]);

export interface Caller {
  /** POSTs one operation with `Authorization: Bearer <token>` (or the raw header given). */
  post<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    extra?: Record<string, string>,
  ): Promise<{ status: number; body: Result<T> }>;
  /** Like `post`, failing on any GraphQL error. */
  data<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** A subscription over server-sent events; every event until the stream ends. */
  sse(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ status: number; events: { event: string; data: string }[] }>;
}

/** A caller with this token (none when undefined; `authorization` overrides the whole header). */
export function caller(
  url: string,
  answers: Answers,
  token: string | undefined,
  authorization?: string,
): Caller {
  const auth: Record<string, string> =
    authorization !== undefined
      ? { authorization }
      : token !== undefined
        ? { authorization: `Bearer ${token}` }
        : {};
  const post: Caller['post'] = async (query, variables, extra = {}) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...auth,
        ...extra,
      },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    answers.record(headersText(response));
    answers.record(text);
    return { status: response.status, body: JSON.parse(text) as never };
  };
  return {
    post,
    async data<T>(query: string, variables?: Record<string, unknown>) {
      const { body } = await post<T>(query, variables);
      if (body.errors || !body.data)
        throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
      return body.data;
    },
    async sse(query, variables) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...auth },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      answers.record(headersText(response));
      answers.record(text);
      return { status: response.status, events: parseSseEvents(text) };
    },
  };
}

export interface WsCaller {
  client: Client;
  /** Resolves with the close code and reason once the socket closes. */
  closed: Promise<{ code: number; reason: string }>;
  /** Subscribes and gathers every result until completion or error. */
  collect<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ results: Result<T>[]; error?: unknown }>;
  close(): Promise<void>;
}

/** A graphql-ws client sending these connection parameters, and these headers with the upgrade request. */
export function wsCaller(
  url: string,
  answers: Answers,
  connectionParams?: Record<string, unknown>,
  upgradeHeaders?: Record<string, string>,
): WsCaller {
  let socket: WebSocket | undefined;
  let resolveClosed: (value: { code: number; reason: string }) => void = () => {};
  const closed = new Promise<{ code: number; reason: string }>(
    (resolve) => (resolveClosed = resolve),
  );
  class WithHeaders extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: upgradeHeaders ?? {} });
    }
  }
  const client = createClient({
    url: wsUrl(url),
    webSocketImpl: WithHeaders,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
    on: {
      opened: (opened) => {
        socket = opened as WebSocket;
        socket.on('message', (data: Buffer) => answers.record(data.toString('utf8')));
      },
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        resolveClosed({ code, reason: String(reason) });
      },
    },
  });
  return {
    client,
    closed,
    collect<T>(query: string, variables?: Record<string, unknown>) {
      return new Promise<{ results: Result<T>[]; error?: unknown }>((resolve) => {
        const results: Result<T>[] = [];
        client.subscribe<T, Record<string, unknown>>(
          { query, variables },
          {
            next: (result) => results.push(result),
            error: (error) => resolve({ results, error }),
            complete: () => resolve({ results }),
          },
        );
      });
    },
    async close() {
      const current = socket;
      await client.dispose();
      if (current && current.readyState !== WebSocket.CLOSED)
        await new Promise((resolve) => current.once('close', resolve));
    },
  };
}
