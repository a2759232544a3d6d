/**
 * Real clients for the GraphQL tests: `fetch` for HTTP and server-sent events, the graphql-ws
 * client over the `ws` package for WebSockets. Nothing is mocked.
 */
import { fileURLToPath } from 'node:url';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/test-app.js';

export const GRAPHQL_COMPONENTS_DIR = fileURLToPath(new URL('./components', import.meta.url));

/** A test app whose components include the chatty and CPU-heavy ones. */
export function startGraphQLTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  return startTestApp({
    ...options,
    server: { componentsDir: GRAPHQL_COMPONENTS_DIR, ...options.server },
  });
}

export type Result<T = Record<string, unknown>> = FormattedExecutionResult<T, unknown>;

/** POSTs one operation; returns the HTTP status and the JSON body. */
export async function post<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ status: number; body: Result<T> }> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Result<T> };
}

/** Like `post`, failing the test on any GraphQL error. */
export async function gql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<T> {
  const { body } = await post<T>(url, query, variables);
  if (body.errors || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

export function wsUrl(url: string): string {
  return `${url.replace(/^http/, 'ws')}/graphql`;
}

export interface WsClient {
  client: Client;
  /** The socket of the current connection (to pause it, as a client that stops reading would). */
  socket(): WebSocket;
  close(): Promise<void>;
}

export function connectWs(url: string): WsClient {
  let current: WebSocket | undefined;
  const client = createClient({
    url: wsUrl(url),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    on: { opened: (socket) => (current = socket as WebSocket) },
  });
  return {
    client,
    socket() {
      if (!current) throw new Error('the client has not connected yet');
      return current;
    },
    async close() {
      const socket = current;
      await client.dispose();
      if (socket && socket.readyState !== WebSocket.CLOSED)
        await new Promise((resolve) => socket.once('close', resolve));
    },
  };
}

export interface Collected<T> {
  results: Result<T>[];
  /** Set when the subscription ended with an error instead of completing. */
  error?: unknown;
}

/** Subscribes and gathers every result until the server completes (or fails) the subscription. */
export function collect<T = Record<string, unknown>>(
  ws: WsClient,
  query: string,
  variables?: Record<string, unknown>,
  onResult?: (result: Result<T>, index: number) => void,
): Promise<Collected<T>> {
  return new Promise((resolve) => {
    const results: Result<T>[] = [];
    ws.client.subscribe<T>(
      { query, variables },
      {
        next: (result) => {
          results.push(result);
          onResult?.(result, results.length - 1);
        },
        error: (error) => resolve({ results, error }),
        complete: () => resolve({ results }),
      },
    );
  });
}

export interface SseEvent {
  event: string;
  data: string;
}

/** A subscription over server-sent events with a plain HTTP client: every event until the stream ends. */
export async function collectSse(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ status: number; contentType: string | null; events: SseEvent[] }> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    events: parseSseEvents(await response.text()),
  };
}

/** The events of a server-sent-events body (comments and keep-alives dropped). */
export function parseSseEvents(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '' && !block.startsWith(':'))
    .map((block) => {
      const lines = block.split('\n');
      const field = (name: string) =>
        lines
          .filter((l) => l.startsWith(`${name}:`))
          .map((l) => l.slice(name.length + 1).trimStart())
          .join('\n');
      return { event: field('event') || 'message', data: field('data') };
    });
}

/** Waits until `check` holds, looking again every 10 ms; fails after `timeoutMs`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const JOB_FIELDS =
  'id status error logCount steps { name status rowsOut } progress { stepsFinished stepsTotal items { step label done total } }';

/** The seqs of every line in a list of jobLogs results, in the order received. */
export function seqsOf(results: Result<{ jobLogs: { lines: { seq: number }[] } }>[]): number[] {
  return results.flatMap((r) => r.data?.jobLogs.lines.map((l) => l.seq) ?? []);
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}
