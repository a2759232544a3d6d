import { z } from 'zod';

const count = (min: number, max: number) =>
  z
    .number()
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

/**
 * `limits` in server.json: what one request, connection or job spec may ask of the server. The
 * defaults pass every operation of the GraphiQL examples, GraphiQL's own introspection query and
 * the tests; past a limit the caller gets an error naming it, and the server keeps serving.
 */
export const limitsConfigSchema = z.strictObject({
  /** Largest HTTP request body, in bytes (a job spec travels in one). */
  maxBodyBytes: count(1024, 1_073_741_824).default(1_048_576),
  /** Deepest selection nesting (fragments do not count as a level; introspection is exempt). */
  maxDepth: count(1, 1000).default(10),
  /** Most aliases in one operation. */
  maxAliases: count(0, 100_000).default(15),
  /** Most directives in one operation. */
  maxDirectives: count(0, 100_000).default(20),
  /**
   * Highest cost of one operation (graphql-armor's model: 2 per object, 1 per scalar, ×1.5 per
   * level, times a literal `first`). A full page of 5000 log lines with five fields costs ~47,500.
   */
  maxCost: count(1, 1_000_000_000).default(50_000),
  /** Most lexical tokens in one document (GraphiQL's introspection query has about 200). */
  maxTokens: count(100, 10_000_000).default(2000),
  /** Operations in flight on one WebSocket (subscriptions are the ones that last). */
  maxSubscriptionsPerConnection: count(1, 100_000).default(100),
  /** Open server-sent-event subscriptions per client (one token from one address). */
  maxSseSubscriptionsPerClient: count(1, 100_000).default(500),
  /** Most steps in one job spec (submitted or scheduled). */
  maxJobSteps: count(1, 100_000).default(100),
  /** Largest `componentArguments` of one step, as JSON, in bytes. */
  maxComponentArgumentBytes: count(2, 1_073_741_824).default(262_144),
});

export type LimitsConfig = z.output<typeof limitsConfigSchema>;
