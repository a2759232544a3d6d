import type { IncomingMessage } from 'node:http';
import {
  getOperationAST,
  GraphQLError,
  OperationTypeNode,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { AccessControl, Principal } from '../../auth/access-control.js';
import { bearerCredential } from '../../auth/credentials.js';

interface AccessContext {
  principal?: Principal | null;
  transport?: 'http' | 'ws';
}

/** `extensions.http` sets an HTTP status; a WebSocket frame has none, so it is left out there. */
function forTransport(error: GraphQLError, transport: AccessContext['transport']): GraphQLError {
  if (transport !== 'ws') return error;
  const { http: _http, ...extensions } = error.extensions;
  return new GraphQLError(error.message, { extensions });
}

/**
 * Access control in one place, for every operation of every transport:
 * - HTTP (queries, mutations, server-sent events): the `Authorization` header is checked before the
 *   document is even parsed, so a caller without a valid token learns nothing about the schema;
 * - every execution and subscription (HTTP and graphql-ws alike): the caller's scopes must allow
 *   the operation's type (`read` for queries and subscriptions, `write` for mutations). A refused
 *   operation runs no resolver, so it changes nothing.
 * WebSockets are authenticated once more at `connection_init` (websocket-server.ts).
 */
export function useAccessControl(access: AccessControl, logger: Logger): Plugin<AccessContext> {
  // Envelop's argument types reach us as `any`: typed here once.
  const check = (
    { document, operationName }: ExecutionArgs,
    context: AccessContext,
    stop: (result: ExecutionResult) => void,
  ) => {
    const operation = getOperationAST(document, operationName);
    // No single operation: graphql-js answers that with its own error and runs nothing.
    if (!operation) return;
    const refusal = access.authorize(context.principal ?? null, operation.operation);
    if (refusal) {
      const tokenName = context.principal?.name ?? null;
      logger.info(
        { tokenName, operation: operation.operation, operationName: operation.name?.value ?? null },
        `operation refused: ${refusal.message}`,
      );
      stop({ errors: [forTransport(refusal, context.transport)] });
      return;
    }
    if (operation.operation === OperationTypeNode.MUTATION && context.principal?.viaToken) {
      logger.info(
        { tokenName: context.principal.name, operationName: operation.name?.value ?? null },
        `mutation by token "${context.principal.name}"`,
      );
    }
  };
  return {
    onParams({ request, setResult, context }) {
      if (!access.enabled) return;
      const authentication = access.authenticate(
        bearerCredential(request.headers.get('authorization')),
      );
      if (authentication.ok) return;
      const remote = (context as { req?: IncomingMessage }).req?.socket.remoteAddress ?? null;
      logger[authentication.reason === 'missing' ? 'debug' : 'warn'](
        { remote, reason: authentication.reason },
        `request refused: ${authentication.error.message}`,
      );
      setResult({ errors: [authentication.error] });
    },
    onExecute({ args, setResultAndStopExecution }) {
      check(args, args.contextValue, setResultAndStopExecution);
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      check(args, args.contextValue, setResultAndStopExecution);
    },
  };
}
