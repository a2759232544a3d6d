/** What a caller presented: nothing, something unusable, or a token to verify. */
export type Credential =
  { kind: 'none' } | { kind: 'malformed'; reason: string } | { kind: 'token'; value: string };

const NONE: Credential = { kind: 'none' };

/** `Authorization: Bearer <token>` (the scheme in any case). */
export function bearerCredential(header: string | null | undefined): Credential {
  if (header === null || header === undefined || header.trim() === '') return NONE;
  const match = /^Bearer[ \t]+(\S+)$/i.exec(header.trim());
  if (!match)
    return { kind: 'malformed', reason: 'the Authorization value must be "Bearer <token>"' };
  return { kind: 'token', value: match[1]! };
}

/**
 * graphql-ws connection parameters. Accepted, in this order: `{ authorization: 'Bearer <token>' }`
 * (the key in any case, as GraphiQL's header editor would send it), `{ headers: { authorization:
 * 'Bearer <token>' } }`, and `{ token: '<token>' }`.
 */
export function connectionParamsCredential(
  params: Readonly<Record<string, unknown>> | undefined,
): Credential {
  if (!params) return NONE;
  const authorization =
    valueOf(params, 'authorization') ??
    valueOf(asRecord(valueOf(params, 'headers')), 'authorization');
  if (authorization !== undefined) {
    return typeof authorization === 'string'
      ? bearerCredential(authorization)
      : {
          kind: 'malformed',
          reason: 'connectionParams.authorization must be a string "Bearer <token>"',
        };
  }
  const token = valueOf(params, 'token');
  if (token === undefined || token === null || token === '') return NONE;
  if (typeof token !== 'string' || /\s/.test(token))
    return {
      kind: 'malformed',
      reason: 'connectionParams.token must be the token, a string without spaces',
    };
  return { kind: 'token', value: token };
}

function valueOf(record: Readonly<Record<string, unknown>> | undefined, key: string): unknown {
  if (!record) return undefined;
  const found = Object.keys(record).find((k) => k.toLowerCase() === key);
  return found === undefined ? undefined : record[found];
}

function asRecord(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
