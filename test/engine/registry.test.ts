import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { probe } from '../support/probe.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { submitSteps, waitForJob } from '../support/jobs.js';

// Inside the repository, so the components resolve `zod` from its node_modules like real ones do.
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const probeModule = fileURLToPath(new URL('../support/probe.ts', import.meta.url));

function versionedProducer(name: string): string {
  return `
import { z } from 'zod';
import { version } from './lib/version.js';
import { probe } from ${JSON.stringify(probeModule)};
export default {
  name: ${JSON.stringify(name)},
  kind: 'PRODUCER',
  description: 'Returns the version of its helper module after an optional pause.',
  argumentsSchema: z.strictObject({ ms: z.number().default(0), probe: z.string().optional() }),
  async run(_input, { args, signal }) {
    if (args.probe) probe(args.probe).started.push('${name}');
    await new Promise((resolve) => setTimeout(resolve, args.ms));
    signal.throwIfAborted();
    return [version()];
  },
};`;
}

const collector = `
import { z } from 'zod';
import { probe } from ${JSON.stringify(probeModule)};
export const collector = {
  name: 'Collector',
  kind: 'STORAGER',
  description: 'Keeps what it gets in a probe.',
  argumentsSchema: z.strictObject({ probe: z.string() }),
  run(input, { args }) { probe(args.probe).values.push(...input); return input; },
};`;

describe('the component registry', () => {
  let dir: string;
  let t: TestApp;
  const write = (file: string, text: string) => writeFileSync(join(dir, file), text);
  const setVersion = (v: string) =>
    write('lib/version.ts', `export function version(): string { return '${v}'; }\n`);

  before(async () => {
    mkdirSync(join(repoRoot, '.tmp'), { recursive: true });
    dir = mkdtempSync(join(repoRoot, '.tmp', 'components-'));
    mkdirSync(join(dir, 'lib'));
    setVersion('v1');
    write('versioned.ts', versionedProducer('Versioned'));
    write('collector.ts', collector);
    write('broken.ts', `throw new Error('this module breaks at load');\n`);
    write('syntax.ts', `export default {{ oops\n`);
    write('empty-module.ts', `export const nothing = 1;\n`);
    t = await startTestApp({ server: { componentsDir: dir } });
  });
  after(async () => {
    await t.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the good modules, and lists each failing one with its error', () => {
    const snapshot = t.app.registry.snapshot();
    const fromFolder = [...snapshot.components.values()]
      .filter((c) => c.source !== 'builtin')
      .map((c) => c.component.name);
    assert.deepEqual(fromFolder.sort(), ['Collector', 'Versioned']);
    const failures = Object.fromEntries(
      snapshot.failures.map((f) => [f.file.slice(dir.length + 1), f.error]),
    );
    assert.deepEqual(Object.keys(failures).sort(), ['broken.ts', 'empty-module.ts', 'syntax.ts']);
    assert.match(failures['broken.ts']!, /this module breaks at load/);
    assert.match(failures['empty-module.ts']!, /exports no component/);
    assert.ok(failures['syntax.ts']!.length > 0);
    const versioned = snapshot.components.get('Versioned')!;
    assert.equal(versioned.source, join(dir, 'versioned.ts'));
    assert.ok(versioned.loadedAt instanceof Date);
    assert.deepEqual((versioned.argumentsJsonSchema as { properties: object }).properties, {
      ms: { type: 'number', default: 0 },
      probe: { type: 'string' },
    });
  });

  it('reloads changed helpers, added and removed files; a running job keeps the code it started with', async () => {
    const steps: Parameters<typeof submitSteps>[1] = [
      ['p', 'Versioned', '', { ms: 600, probe: 'reload-started' }],
      ['s', 'Collector', 'p', { probe: 'reload-old' }],
    ];
    const old = await submitSteps(t.app, steps);
    // Wait until the old job is inside its producer, then change the code under it.
    while (probe('reload-started').started.length === 0)
      await new Promise((r) => setTimeout(r, 10));
    setVersion('v2');
    write('added.ts', versionedProducer('Added'));
    unlinkSync(join(dir, 'broken.ts'));
    const result = await t.app.registry.reload();
    assert.deepEqual(result.added, ['Added']);
    assert.deepEqual(result.removed, []);
    assert.deepEqual(result.changed.sort(), ['Collector', 'Versioned']);
    assert.deepEqual(result.snapshot.failures.map((f) => f.file.slice(dir.length + 1)).sort(), [
      'empty-module.ts',
      'syntax.ts',
    ]);

    const fresh = await submitSteps(t.app, [
      ['p', 'Versioned', ''],
      ['s', 'Collector', 'p', { probe: 'reload-new' }],
    ]);
    assert.equal((await waitForJob(t.app, old.id)).status, 'FINISHED');
    assert.equal((await waitForJob(t.app, fresh.id)).status, 'FINISHED');
    assert.deepEqual(probe('reload-old').values, ['v1']);
    assert.deepEqual(probe('reload-new').values, ['v2']);

    unlinkSync(join(dir, 'added.ts'));
    const removal = await t.app.registry.reload();
    assert.deepEqual(removal.removed, ['Added']);
    const rejected = await t.app.executor.submit({
      steps: [{ name: 'p', componentClassName: 'Added', preComponentName: '' }],
    });
    assert.ok(!rejected.ok && /unknown component "Added"/.test(rejected.problems[0]!.message));
  });

  it('does nothing when nothing changed', async () => {
    const before = t.app.registry.snapshot();
    const result = await t.app.registry.reload();
    assert.equal(result.snapshot, before);
    assert.deepEqual([result.added, result.removed, result.changed], [[], [], []]);
  });
});

describe('watching the components folder', () => {
  let dir: string;
  let t: TestApp;
  before(async () => {
    mkdirSync(join(repoRoot, '.tmp'), { recursive: true });
    dir = mkdtempSync(join(repoRoot, '.tmp', 'watched-'));
    mkdirSync(join(dir, 'lib'));
    writeFileSync(
      join(dir, 'lib/version.ts'),
      `export function version(): string { return 'w1'; }\n`,
    );
    t = await startTestApp({ server: { componentsDir: dir, watchComponents: true } });
  });
  after(async () => {
    await t.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads a component file as soon as it is written, without a reload call', async () => {
    assert.equal(t.app.registry.snapshot().components.has('Watched'), false);
    writeFileSync(join(dir, 'watched.ts'), versionedProducer('Watched'));
    const deadline = Date.now() + 10_000;
    while (!t.app.registry.snapshot().components.has('Watched')) {
      assert.ok(Date.now() < deadline, 'the new component was not picked up within 10 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  });
});
