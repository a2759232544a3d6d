/**
 * Streaming jobs end to end: the executor, the runner's bounded edges and storeRows writing
 * `stream_row` batches into real MariaDB databases, one transaction per batch and target.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { onServer } from '../storage/helpers.js';
import { submitSteps, waitForJob } from '../support/jobs.js';
import { createTestDatabase, mysqlSkipReason, mysqlTestServer } from '../support/mysql.js';
import { CREATE_STREAM_ROW_TABLE, streamProbe } from '../support/stream-rows.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const skip = await mysqlSkipReason();
const BOUND = 3;

describe('streaming jobs into MySQL', { skip }, () => {
  let t: TestApp;
  const server = mysqlTestServer();
  const databases: Array<{ name: string; drop(): Promise<void> }> = [];
  const count = (i: number) =>
    onServer(server, databases[i]!.name, async (c) => {
      const [rows] = await c.query('SELECT COUNT(*) AS n, MIN(value) AS lo FROM stream_row');
      const [row] = rows as Array<{ n: number; lo: string }>;
      return { rows: Number(row!.n), lowest: row!.lo };
    });

  before(async () => {
    databases.push(await createTestDatabase('stream_a'), await createTestDatabase('stream_b'));
    for (const db of databases)
      await onServer(server, db.name, (c) => c.query(CREATE_STREAM_ROW_TABLE));
    const mysql = Object.fromEntries(
      databases.map((db, i) => [`m${i}`, { ...server, database: db.name }]),
    );
    t = await startTestApp({
      storage: { control: 'local', sqlite: { local: { file: 'control.sqlite' } }, mysql },
      server: { jobs: { batchesInFlightPerEdge: BOUND } },
    });
  });
  beforeEach(async () => {
    for (const db of databases)
      await onServer(server, db.name, (c) => c.query('TRUNCATE stream_row'));
  });
  after(async () => {
    await t?.destroy();
    for (const db of databases) await db.drop();
  });

  it('streams 2,000,000 rows in batches of 5,000 through a processor into MySQL, never more than the bound in flight', async () => {
    const job = await submitSteps(t.app, [
      [
        'p',
        'TestBatchProducer',
        '',
        { batches: 400, batchSize: 5000, probe: 'big', readers: ['upper'] },
      ],
      ['upper', 'TestBatchProcessor', 'p', { probe: 'big', readers: ['store'] }],
      ['store', 'TestStreamRowStorager', 'upper', { probe: 'big', targets: ['m0'] }],
    ]);
    // What subscribers saw while it ran: rows and written batches, published as they passed.
    const midway: Array<{ rowsIn: number | null; batches: number | undefined }> = [];
    const off = t.app.bus.on('job', ({ change, job: seen }) => {
      const store = seen.steps[2];
      if (seen.id !== job.id || change !== 'PROGRESS' || store?.status !== 'RUNNING') return;
      const result = store.result as { targets?: Array<{ batches: number }> } | null;
      midway.push({ rowsIn: store.rowsIn, batches: result?.targets?.[0]?.batches });
    });
    const done = await waitForJob(t.app, job.id, 170_000);
    off();
    assert.equal(done.status, 'FINISHED', done.error ?? '');
    assert.ok(
      midway.some(
        (m) => m.rowsIn! > 0 && m.rowsIn! < 2_000_000 && m.batches! > 0 && m.batches! < 400,
      ),
      `no PROGRESS event showed a stream half-way: ${JSON.stringify(midway.slice(0, 5))}`,
    );
    assert.deepEqual(
      done.steps.map((s) => [s.name, s.status, s.rowsIn, s.rowsOut]),
      [
        ['p', 'FINISHED', null, 2_000_000],
        ['upper', 'FINISHED', 2_000_000, 2_000_000],
        ['store', 'FINISHED', 2_000_000, 2_000_000],
      ],
    );
    const [target] = (done.steps[2]!.result as { targets: Array<Record<string, unknown>> }).targets;
    assert.deepEqual(
      [target!.target, target!.ok, target!.inserted, target!.updated, target!.batches],
      ['m0', true, 2_000_000, 0, 400],
    );
    assert.deepEqual(await count(0), { rows: 2_000_000, lowest: 'V1' });
    // Counted by the components: how many batches a step had yielded that its reader had not let go.
    const probe = streamProbe('big');
    assert.equal(probe.mostAhead.get('upper'), BOUND);
    assert.equal(probe.mostAhead.get('store'), BOUND);
    assert.equal(probe.released.get('store'), 400);
    assert.ok(done.steps[2]!.progress.some((p) => p.label === 'm0' && p.done === 2_000_000));
  });

  it('fans out to two storagers: each writes every batch, the slower one sets the pace', async () => {
    const job = await submitSteps(t.app, [
      [
        'p',
        'TestBatchProducer',
        '',
        { batches: 60, batchSize: 5000, probe: 'fan', readers: ['upper'] },
      ],
      ['upper', 'TestBatchProcessor', 'p', { probe: 'fan', readers: ['a', 'b'] }],
      ['a', 'TestStreamRowStorager', 'upper', { probe: 'fan', targets: ['m0'] }],
      ['b', 'TestStreamRowStorager', 'upper', { probe: 'fan', targets: ['m1'] }],
    ]);
    const done = await waitForJob(t.app, job.id, 170_000);
    assert.equal(done.status, 'FINISHED', done.error ?? '');
    assert.deepEqual(await count(0), { rows: 300_000, lowest: 'V1' });
    assert.deepEqual(await count(1), { rows: 300_000, lowest: 'V1' });
    assert.deepEqual(
      done.steps
        .slice(2)
        .map((s) => [
          s.name,
          s.rowsIn,
          (s.result as { targets: Array<{ batches: number }> }).targets[0]!.batches,
        ]),
      [
        ['a', 300_000, 60],
        ['b', 300_000, 60],
      ],
    );
    const probe = streamProbe('fan');
    assert.ok(probe.mostAhead.get('a')! <= BOUND && probe.mostAhead.get('b')! <= BOUND);
    assert.equal(Math.max(probe.mostAhead.get('a')!, probe.mostAhead.get('b')!), BOUND);
  });

  it('an error in batch 17 fails the job with 16 batches reported written, and a re-run is harmless', async () => {
    const steps = (probe: string, failAtBatch?: number) =>
      [
        ['p', 'TestBatchProducer', '', { batches: 40, batchSize: 5000, probe }],
        ['upper', 'TestBatchProcessor', 'p', { probe, ...(failAtBatch && { failAtBatch }) }],
        ['store', 'TestStreamRowStorager', 'upper', { probe, targets: ['m0', 'm1'] }],
      ] as Parameters<typeof submitSteps>[1];
    const done = await waitForJob(t.app, (await submitSteps(t.app, steps('b17', 17))).id, 120_000);
    assert.equal(done.status, 'FAILED');
    assert.equal(done.error, 'step "upper" failed: row 80001 in batch 17 is not a valid row');
    assert.deepEqual(
      done.steps.map((s) => [s.name, s.status, s.rowsIn, s.rowsOut]),
      [
        ['p', 'CANCELLED', null, done.steps[0]!.rowsOut],
        ['upper', 'FAILED', 85_000, 80_000],
        ['store', 'CANCELLED', 80_000, 80_000],
      ],
    );
    const result = done.steps[2]!.result as { targets: Array<Record<string, unknown>> };
    assert.deepEqual(
      result.targets.map((r) => [r.target, r.ok, r.batches, r.inserted]),
      [
        ['m0', true, 16, 80_000],
        ['m1', true, 16, 80_000],
      ],
    );
    assert.deepEqual(await count(0), { rows: 80_000, lowest: 'V1' });
    assert.deepEqual(await count(1), { rows: 80_000, lowest: 'V1' });
    assert.ok(streamProbe('b17').finallyRan, "the producer's finally ran");
    assert.ok(streamProbe('b17').yielded < 40);

    const again = await waitForJob(t.app, (await submitSteps(t.app, steps('rerun'))).id, 120_000);
    assert.equal(again.status, 'FINISHED', again.error ?? '');
    const rerun = again.steps[2]!.result as { targets: Array<Record<string, unknown>> };
    assert.deepEqual(
      rerun.targets.map((r) => [r.target, r.inserted, r.updated, r.unchanged]),
      [
        ['m0', 120_000, 0, 80_000],
        ['m1', 120_000, 0, 80_000],
      ],
    );
    assert.deepEqual(await count(0), { rows: 200_000, lowest: 'V1' });
  });

  it('a row the table refuses in batch 17 stops the producer and names the batch', async () => {
    const job = await submitSteps(t.app, [
      [
        'p',
        'TestBatchProducer',
        '',
        { batches: 40, batchSize: 5000, probe: 'bad', badRowAtBatch: 17 },
      ],
      ['store', 'TestStreamRowStorager', 'p', { probe: 'bad', targets: ['m0'] }],
    ]);
    const done = await waitForJob(t.app, job.id, 120_000);
    assert.equal(done.status, 'FAILED');
    assert.match(done.error ?? '', /^step "store" failed: batch 17: .*value/);
    const result = done.steps[1]!.result as { targets: Array<Record<string, unknown>> };
    assert.deepEqual([result.targets[0]!.batches, result.targets[0]!.inserted], [16, 80_000]);
    assert.equal(done.steps[0]!.status, 'CANCELLED');
    assert.ok(streamProbe('bad').finallyRan);
    assert.ok(streamProbe('bad').yielded <= 17 + BOUND);
    assert.deepEqual(await count(0), { rows: 80_000, lowest: 'v1' });
  });

  it('cancel mid-stream ends the producer (its finally ran) and every step with it', async () => {
    const job = await submitSteps(t.app, [
      [
        'p',
        'TestBatchProducer',
        '',
        { batches: 1000, batchSize: 1000, probe: 'cancel', waitAtBatch: 30 },
      ],
      ['upper', 'TestBatchProcessor', 'p', { probe: 'cancel' }],
      ['store', 'TestStreamRowStorager', 'upper', { probe: 'cancel', targets: ['m0'] }],
    ]);
    await streamProbe('cancel').waiting;
    await t.app.executor.cancel(job.id, 'enough');
    const done = await waitForJob(t.app, job.id);
    assert.equal(done.status, 'CANCELLED');
    assert.ok(streamProbe('cancel').finallyRan);
    assert.equal(streamProbe('cancel').yielded, 29);
    assert.deepEqual(
      done.steps.map((s) => s.status),
      ['CANCELLED', 'CANCELLED', 'CANCELLED'],
    );
    // The producer stopped within the abort grace: the job did not end without it.
    assert.equal(t.app.executor.stats.abortIgnored, 0);
    const written = (done.steps[2]!.result as { targets: Array<{ batches: number }> }).targets[0]!;
    assert.ok(written.batches <= 29);
    assert.equal((await count(0)).rows, written.batches * 1000);
  });
});
