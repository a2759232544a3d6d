/**
 * `npm run schema`: writes the schema's SDL to `schema/schema.graphql`, which is kept in the
 * repository (a test fails when it differs from the live schema).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSchemaFile } from './schema-sdl.js';

const file = fileURLToPath(new URL('../../schema/schema.graphql', import.meta.url));
writeFileSync(file, printSchemaFile());
console.log(`wrote ${file}`);
