import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { z } from 'zod';
import { CliError, EXIT } from './cli-errors.js';

export const DEFAULT_URL = 'http://127.0.0.1:4000/graphql';

const urlSchema = z
  .string()
  .url()
  .refine(
    (value) => /^https?:$/.test(new URL(value).protocol),
    'must be an http:// or https:// URL',
  );

/** The server's GraphQL endpoint: `--url`, else `FDA_URL`, else the local default. */
export function endpointUrl(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const [value, where] =
    flag !== undefined
      ? [flag, '--url']
      : env.FDA_URL
        ? [env.FDA_URL, 'FDA_URL']
        : [DEFAULT_URL, ''];
  const parsed = urlSchema.safeParse(value);
  if (!parsed.success)
    throw new CliError(
      `${where}: ${parsed.error.issues[0]?.message ?? 'invalid'} (got ${JSON.stringify(value)}), e.g. ${DEFAULT_URL}`,
      EXIT.invalid,
    );
  return parsed.data;
}

const responseSchema = z.object({
  data: z.record(z.string(), z.unknown()).nullish(),
  errors: z.array(z.object({ message: z.string() })).optional(),
});

export interface Subscription<T> {
  /** Each result, in order, until the server completes the operation. */
  [Symbol.asyncIterator](): AsyncIterator<T>;
}

/**
 * The server's GraphQL API as the CLI uses it: queries and mutations over HTTP, subscriptions
 * over graphql-ws (which reconnects on its own; the callers resume from their cursors). The token
 * goes in `Authorization` and in the WebSocket's connection parameters, nowhere else.
 */
export class GraphQLClient {
  #ws: Client | null = null;

  constructor(
    readonly url: string,
    private readonly token: string | undefined,
  ) {}

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
    } catch (error) {
      throw new CliError(`cannot reach ${this.url}: ${causeOf(error)}`, EXIT.unreachable);
    }
    const text = await response.text();
    let body: z.infer<typeof responseSchema>;
    try {
      body = responseSchema.parse(JSON.parse(text));
    } catch {
      throw new CliError(
        `${this.url} answered ${response.status} with something that is not a GraphQL response: ${text.slice(0, 200)}`,
        EXIT.unreachable,
      );
    }
    if (body.errors?.length || !body.data)
      throw new CliError(
        `${this.url}: ${(body.errors ?? [{ message: `HTTP ${response.status}` }]).map((e) => e.message).join('; ')}`,
        EXIT.unreachable,
      );
    return body.data as T;
  }

  subscribe<T>(query: string, variables: Record<string, unknown>): Subscription<T> {
    this.#ws ??= createClient({
      url: this.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: this.token ? { authorization: `Bearer ${this.token}` } : undefined,
      retryAttempts: 5,
      shouldRetry: () => true,
    });
    const iterator = this.#ws.iterate<T>({ query, variables });
    const url = this.url;
    return {
      [Symbol.asyncIterator]: () => ({
        async next() {
          try {
            const result = await iterator.next();
            if (result.done) return { done: true, value: undefined };
            if (result.value.errors?.length || !result.value.data)
              throw new CliError(
                `${url}: ${(result.value.errors ?? []).map((e) => e.message).join('; ') || 'no data'}`,
                EXIT.unreachable,
              );
            return { done: false, value: result.value.data };
          } catch (error) {
            if (error instanceof CliError) throw error;
            throw new CliError(
              `subscription to ${url} failed: ${causeOf(error)}`,
              EXIT.unreachable,
            );
          }
        },
        async return() {
          await iterator.return?.();
          return { done: true, value: undefined };
        },
      }),
    };
  }

  async close(): Promise<void> {
    await this.#ws?.dispose();
  }
}

function causeOf(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  if (Array.isArray(error)) return error.map((e) => String((e as Error).message ?? e)).join('; ');
  if (error && typeof error === 'object' && 'code' in error && 'reason' in error)
    return `closed ${String(error.code)} ${String(error.reason)}`;
  return String(error);
}
