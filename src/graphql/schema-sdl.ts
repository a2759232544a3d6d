import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from './schema/index.js';

/** The schema file's exact text: a header, then the SDL sorted by name so that diffs stay small. */
export function printSchemaFile(): string {
  return `# Generated from the Pothos schema by \`npm run schema\`; do not edit by hand.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
}
