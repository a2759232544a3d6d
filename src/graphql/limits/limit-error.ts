import { GraphQLError } from 'graphql';

/**
 * A request past one of the `limits` of server.json: code `LIMIT_EXCEEDED`, the limit's name in
 * `extensions.limit`, and a message saying which setting it is.
 */
export function limitError(message: string, limit: string, httpStatus?: number): GraphQLError {
  const http = httpStatus === undefined ? {} : { http: { status: httpStatus } };
  return new GraphQLError(`${message} (server.json limits.${limit})`, {
    extensions: { code: 'LIMIT_EXCEEDED', limit, ...http },
  });
}
