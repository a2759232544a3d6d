import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { printSchemaFile } from '../../src/graphql/schema-sdl.js';

describe('schema/schema.graphql', () => {
  it('matches the live schema (run `npm run schema` after changing it)', () => {
    const file = readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8');
    assert.equal(
      file,
      printSchemaFile(),
      'schema/schema.graphql is out of date: run `npm run schema`',
    );
  });
});
