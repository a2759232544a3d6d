import type { OperationTypeNode } from 'graphql';

export const SCOPES = ['read', 'write'] as const;
/** `read`: queries and subscriptions. `write`: mutations, and everything `read` allows. */
export type Scope = (typeof SCOPES)[number];

/** The scopes a token really has: `write` brings `read` with it. */
export function expandScopes(scopes: Iterable<Scope>): ReadonlySet<Scope> {
  const set = new Set<Scope>(scopes);
  if (set.has('write')) set.add('read');
  return set;
}

/** Mutations change things and need `write`; queries and subscriptions only read. */
export function requiredScope(operation: OperationTypeNode | `${OperationTypeNode}`): Scope {
  return operation === 'mutation' ? 'write' : 'read';
}
