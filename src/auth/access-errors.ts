import { GraphQLError } from 'graphql';

/** No usable token: HTTP 401 with `WWW-Authenticate: Bearer`, code `UNAUTHENTICATED`. */
export function unauthenticatedError(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: 'UNAUTHENTICATED',
      http: { status: 401, headers: { 'www-authenticate': 'Bearer realm="finance-data-api"' } },
    },
  });
}

/** A valid token without the scope the operation needs: HTTP 403, code `FORBIDDEN`. */
export function forbiddenError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
}
