import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError, type YogaServerOptions } from 'graphql-yoga';
import type { Logger } from 'pino';
import { AppError, ValidationError } from '../errors.js';

type MaskError = NonNullable<
  Exclude<YogaServerOptions<object, object>['maskedErrors'], boolean | undefined>['maskError']
>;
type YogaLogger = Record<'debug' | 'info' | 'warn' | 'error', (...args: unknown[]) => void>;

/** The error a GraphQLError wraps, all the way down. */
export function originalError(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError) current = current.originalError;
  return current;
}

/**
 * Expected failures (our typed errors) reach clients with their message and a `code` extension
 * (and `problems` for validation); GraphQL's own errors (syntax, validation, scalar input) as they
 * are; anything else is masked as "Unexpected error." and logged in full by Yoga's logger.
 */
export const maskUnexpectedErrors: MaskError = (error, message, isDev) => {
  const original = originalError(error);
  if (original instanceof AppError) {
    const wrapper = error instanceof GraphQLError ? error : undefined;
    const problems =
      original instanceof ValidationError && original.problems.length > 0
        ? { problems: original.problems }
        : {};
    return new GraphQLError(original.message, {
      nodes: wrapper?.nodes,
      source: wrapper?.source,
      positions: wrapper?.positions,
      path: wrapper?.path,
      extensions: { code: original.code, ...problems },
    });
  }
  return yogaMaskError(error, message, isDev);
};

/** Yoga's log lines on the server's logger. An expected error that Yoga reports is not an error of ours. */
export function yogaLogger(logger: Logger): YogaLogger {
  const log =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) => {
      const [first, ...rest] = args;
      if (first instanceof Error) {
        const original = originalError(first);
        const path = first instanceof GraphQLError ? first.path?.join('.') : undefined;
        if (original instanceof AppError)
          logger.debug({ err: original, path }, 'graphql: expected error returned to the client');
        else
          logger[level](
            { err: original instanceof Error ? original : first, path },
            'graphql: unexpected error (masked for the client)',
          );
        return;
      }
      logger[level === 'debug' ? 'debug' : level](
        rest.length > 0 ? { details: rest } : {},
        typeof first === 'string' ? `graphql: ${first}` : 'graphql',
      );
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
