import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { GraphQLError, ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { LimitsConfig } from '../../config/limits-config.js';
import { limitError } from './limit-error.js';

/** graphql-armor says "Syntax Error: Query depth limit of 10 exceeded, found 12."; none of these is a syntax error. */
const plainMessage = (error: GraphQLError) =>
  error.message.replace(/^Syntax Error: /, '').replace(/\.$/, '');

/**
 * Depth, alias, directive and cost limits (graphql-armor), checked when a document is validated,
 * so for HTTP and graphql-ws alike and before anything runs; the token limit is document-scan.ts.
 * A document past a limit gets one error per limit, naming it. GraphiQL's introspection query is
 * exempt from the depth and cost limits (armor skips `__schema`) and well within the others.
 */
export function useOperationLimits(limits: LimitsConfig): Plugin {
  // Each limit reports into the validation context: a normal validation error, one per limit.
  const report = (limit: keyof LimitsConfig) => ({
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) =>
        context?.reportError(limitError(plainMessage(error), limit)),
    ],
  });
  return EnvelopArmorPlugin({
    blockFieldSuggestion: { enabled: false },
    // Counted by document-scan.ts instead, which also bounds nesting, before the recursive parser runs.
    maxTokens: { enabled: false },
    maxDepth: {
      n: limits.maxDepth,
      ignoreIntrospection: true,
      flattenFragments: true,
      ...report('maxDepth'),
    },
    maxAliases: { n: limits.maxAliases, ...report('maxAliases') },
    maxDirectives: { n: limits.maxDirectives, ...report('maxDirectives') },
    costLimit: { maxCost: limits.maxCost, ignoreIntrospection: true, ...report('maxCost') },
  });
}
