import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JobCancelledError } from '../../src/errors.js';
import { JobFaultError, JobTimeoutError } from '../../src/jobs/errors.js';
import { finalOutcome, JobState } from '../../src/jobs/job-state.js';
import { waitingJob } from './support.js';

describe('finalOutcome: the one place that decides a final status', () => {
  it('success, failure, timeout, cancel and any other abort', () => {
    assert.deepEqual(finalOutcome({ kind: 'succeeded' }), { status: 'FINISHED', error: null });
    assert.deepEqual(finalOutcome({ kind: 'failed', error: 'step "p" failed: x' }), {
      status: 'FAILED',
      error: 'step "p" failed: x',
    });
    assert.deepEqual(finalOutcome({ kind: 'aborted', reason: new JobTimeoutError(1500) }), {
      status: 'FAILED',
      error: 'timed out after 1.5 s',
    });
    assert.deepEqual(finalOutcome({ kind: 'aborted', reason: new JobCancelledError('no') }), {
      status: 'CANCELLED',
      error: 'no',
    });
    const fault = new JobFaultError('unhandled promise rejection', 'p', new Error('leak'));
    assert.deepEqual(finalOutcome({ kind: 'aborted', reason: fault }), {
      status: 'FAILED',
      error: 'unhandled promise rejection in step "p": leak',
    });
  });
});

describe('JobState', () => {
  it('moves a job and its steps through their states, marking what never ran SKIPPED', () => {
    const state = new JobState(waitingJob('j', ['a', 'b', 'c']));
    assert.equal(state.stepStarted(0, null), false, 'no step runs before the job does');
    assert.ok(state.start(new Date(1)));
    assert.equal(state.start(), false, 'once');
    assert.ok(state.stepStarted(0, null));
    assert.ok(state.stepFinished(0, { rowsOut: 3, result: { n: 3 } }));
    assert.ok(state.stepStarted(1, 3));
    assert.ok(state.stepProgress(1, { done: 1, total: 3, label: 't' }));
    assert.ok(state.stepProgress(1, { done: 2, total: 3, label: 't' }));
    assert.ok(state.end({ status: 'CANCELLED', error: 'stop' }, new Date(2)));
    const { job } = state;
    assert.equal(job.status, 'CANCELLED');
    assert.deepEqual(
      job.steps.map((s) => s.status),
      ['FINISHED', 'CANCELLED', 'SKIPPED'],
    );
    assert.deepEqual(job.steps[1]!.progress, [{ done: 2, total: 3, label: 't' }]);
  });

  it('a streaming step: rows and results as batches pass, kept when it fails mid-stream', () => {
    const state = new JobState(waitingJob('j', ['p', 's']));
    state.start();
    state.stepStarted(0, null);
    state.stepStarted(1, 0);
    assert.ok(state.stepRows(0, { rowsOut: 10_000 }));
    assert.ok(state.stepRows(1, { rowsIn: 5000 }));
    assert.ok(state.stepResult(1, { targets: [{ target: 'm', batches: 1 }] }));
    assert.deepEqual(
      [state.job.steps[1]!.rowsIn, state.job.steps[1]!.result],
      [5000, { targets: [{ target: 'm', batches: 1 }] }],
    );
    state.stepFailed(1, { error: 'disk full', result: { batches: 1 }, aborted: false });
    assert.deepEqual(
      [state.job.steps[1]!.status, state.job.steps[1]!.rowsIn, state.job.steps[1]!.result],
      ['FAILED', 5000, { batches: 1 }],
    );
    assert.equal(state.stepResult(1, 'late'), false, 'only while running');
    assert.equal(state.job.steps[0]!.rowsOut, 10_000);
  });

  it('changes nothing once final, whatever a late step reports', () => {
    const state = new JobState(waitingJob('j', ['a']));
    state.start();
    state.stepStarted(0, null);
    state.end({ status: 'FAILED', error: 'timed out' });
    const before = JSON.stringify(state.job);
    assert.equal(state.stepFinished(0, { rowsOut: 1, result: 'late' }), false);
    assert.equal(state.stepFailed(0, { error: 'late', result: null, aborted: false }), false);
    assert.equal(state.stepProgress(0, { done: 1, total: 1 }), false);
    assert.equal(state.end({ status: 'FINISHED', error: null }), false);
    assert.equal(state.interrupt('again'), false);
    assert.equal(JSON.stringify(state.job), before);
  });

  it('cuts errors to what the store holds', () => {
    const state = new JobState(waitingJob());
    state.start();
    state.stepStarted(0, null);
    state.stepFailed(0, { error: new Error('e'.repeat(20_000)), result: null, aborted: false });
    state.end({ status: 'FAILED', error: 'f'.repeat(20_000) });
    assert.ok(state.job.error!.length <= 8000);
    assert.ok(state.job.steps[0]!.error!.length <= 8000);
    assert.match(state.job.error!, /truncated: 20000 characters in all\)$/);
  });

  it('interrupt: a job found running after a crash fails, its running step as interrupted', () => {
    const state = new JobState(waitingJob('j', ['a', 'b']));
    state.start();
    state.stepStarted(0, null);
    assert.ok(state.interrupt('interrupted: the server stopped'));
    assert.deepEqual(
      state.job.steps.map((s) => [s.status, s.error]),
      [
        ['FAILED', 'interrupted'],
        ['SKIPPED', null],
      ],
    );
  });
});
