import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import type { GraphQLContext } from './context.js';

/**
 * The one Pothos builder. Types are declared in `schema/*.ts`, one file per domain, and
 * `schema/index.ts` imports them all before building the schema.
 */
export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    /** A calendar day as `YYYY-MM-DD`. */
    Date: { Input: string; Output: string };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  plugins: [ErrorsPlugin],
  // Fields are non-null unless they say otherwise: clients should not null-check what is always there.
  defaultFieldNullability: false,
  errors: { defaultTypes: [] },
});
