import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Refuses a request whose declared `Content-Length` is past the limit before reading any of it,
 * with a message giving both sizes. A body without a length (chunked) is counted as it is read by
 * Yoga's own `maxRequestBodySize`, set to the same limit (yoga-server.ts); both answer HTTP 413
 * with Yoga's code, `REQUEST_ENTITY_TOO_LARGE`, whichever way the body came.
 */
export function useBodyLimit(maxBytes: number): Plugin {
  return {
    onRequestParse({ request }) {
      const length = request.headers.get('content-length');
      if (length !== null && /^\d+$/.test(length) && Number(length) > maxBytes) {
        throw new GraphQLError(
          `the request body is ${length} bytes; at most ${maxBytes} are accepted (server.json limits.maxBodyBytes)`,
          {
            extensions: {
              code: 'REQUEST_ENTITY_TOO_LARGE',
              limit: 'maxBodyBytes',
              http: { status: 413 },
            },
          },
        );
      }
    },
  };
}
