/**
 * Runs the test files with node's own test runner, each file in its own process, two at a time
 * (this machine has two cores). `node --import tsx test/run.ts [file-or-folder ...]` runs a subset.
 * Node 20's runner does not search for `.ts` files itself, hence this script.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function findTests(path: string): string[] {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .filter((entry) => entry.name !== 'node_modules' && !entry.name.startsWith('.'))
    .flatMap((entry) => {
      const full = join(path, entry.name);
      if (entry.isDirectory()) return findTests(full);
      return entry.name.endsWith('.test.ts') ? [full] : [];
    })
    .sort();
}

const roots = process.argv.slice(2);
const files = (roots.length > 0 ? roots : ['test'])
  .flatMap(findTests)
  .map((f) => relative(process.cwd(), f));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    `--test-concurrency=${process.env.FDA_TEST_CONCURRENCY ?? '2'}`,
    // A test that hangs (an open pool, a socket nobody closed) fails instead of stalling CI.
    `--test-timeout=${process.env.FDA_TEST_TIMEOUT_MS ?? '180000'}`,
    ...files,
  ],
  { stdio: 'inherit' },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
