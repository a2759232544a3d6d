import type { GraphQLError, OperationTypeNode } from 'graphql';
import { forbiddenError, unauthenticatedError } from './access-errors.js';
import type { Credential } from './credentials.js';
import { expandScopes, requiredScope, type Scope } from './scopes.js';
import type { TokenVerifier } from './token-verifier.js';

/** Who is calling: a configured token's name and scopes, or the local caller when no tokens are configured. */
export interface Principal {
  readonly name: string;
  readonly scopes: ReadonlySet<Scope>;
  /** False for the local caller of a server without tokens. */
  readonly viaToken: boolean;
}

/** With no tokens configured the server listens on loopback only, and whoever reaches it may do anything. */
export const LOCAL_PRINCIPAL: Principal = Object.freeze({
  name: 'local',
  scopes: expandScopes(['write']),
  viaToken: false,
});

export type Authentication =
  | { ok: true; principal: Principal }
  | { ok: false; reason: 'missing' | 'malformed' | 'invalid'; error: GraphQLError };

const HOW =
  'send an API token as "Authorization: Bearer <token>" (over graphql-ws: connectionParams { "authorization": "Bearer <token>" })';

/** Authentication (which token is this?) and authorisation (may it run this operation?), for every transport. */
export class AccessControl {
  constructor(readonly verifier: TokenVerifier) {}

  /** Whether callers must present a token. */
  get enabled(): boolean {
    return this.verifier.enabled;
  }

  authenticate(credential: Credential): Authentication {
    if (!this.enabled) return { ok: true, principal: LOCAL_PRINCIPAL };
    if (credential.kind === 'none')
      return {
        ok: false,
        reason: 'missing',
        error: unauthenticatedError(`authentication required: ${HOW}`),
      };
    if (credential.kind === 'malformed')
      return {
        ok: false,
        reason: 'malformed',
        error: unauthenticatedError(`${credential.reason}; ${HOW}`),
      };
    const token = this.verifier.verify(credential.value);
    if (!token)
      return {
        ok: false,
        reason: 'invalid',
        error: unauthenticatedError(
          'the API token is not valid (not one of the configured tokens)',
        ),
      };
    return { ok: true, principal: { name: token.name, scopes: token.scopes, viaToken: true } };
  }

  /** Null when the principal may run an operation of this type; otherwise the error to answer with. */
  authorize(
    principal: Principal | null,
    operation: OperationTypeNode | `${OperationTypeNode}`,
  ): GraphQLError | null {
    if (!principal) return unauthenticatedError(`authentication required: ${HOW}`);
    const needed = requiredScope(operation);
    if (principal.scopes.has(needed)) return null;
    const has = [...principal.scopes].map((s) => `"${s}"`).join(' and ') || 'no scope';
    return forbiddenError(
      `a ${operation} needs the "${needed}" scope; the token "${principal.name}" has only ${has}`,
    );
  }
}
