import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectWs, gql, type WsClient } from '../graphql/support.js';
import { waitForJob } from '../support/jobs.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { countOf, sample, scrape, valueOf } from './support.js';

const offlineTradeDays = {
  pipeline_structure: {
    producer_0: {
      component_class_name: 'BaoStockTradeDayProducer',
      pre_component_name: '',
      component_arguments: { source: 'offline', fullRefresh: true },
    },
    processor_0: {
      component_class_name: 'BaoStockTradeDayProcessor',
      pre_component_name: 'producer_0',
      component_arguments: {},
    },
    storager_0: {
      component_class_name: 'BaoStockTradeDayStorager',
      pre_component_name: 'processor_0',
      component_arguments: {},
    },
  },
};

describe('GET /metrics', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.destroy();
  });

  it('parses as Prometheus text and names every family the issue lists', async () => {
    const families = await scrape(t.url);
    for (const name of [
      'fda_jobs_total',
      'fda_jobs_waiting',
      'fda_jobs_running',
      'fda_job_duration_seconds',
      'fda_step_duration_seconds',
      'fda_rows_written_total',
      'fda_websocket_clients',
      'fda_subscriptions',
      'fda_http_connections',
      'fda_nodejs_eventloop_lag_seconds',
    ])
      assert.ok(families.has(name), `${name} is missing`);
    assert.equal(families.get('fda_job_duration_seconds')!.type, 'HISTOGRAM');
    assert.equal(families.get('fda_jobs_total')!.type, 'COUNTER');
    assert.equal(valueOf(families, 'fda_jobs_running'), 0);
    assert.ok(valueOf(families, 'fda_http_connections') >= 1, 'this request is a connection');
  });

  it('moves its counters after a job: by status and origin, durations, rows per target', async () => {
    const before = await scrape(t.url);
    const finishedBefore = valueOf(before, 'fda_jobs_total', {
      status: 'FINISHED',
      origin: 'ADHOC',
    });
    const { submitJob } = await gql<{ submitJob: { id: string } }>(
      t.url,
      `mutation ($document: JSON!) { submitJob(input: { document: $document }) { ... on Job { id } } }`,
      { document: offlineTradeDays },
    );
    const job = await waitForJob(t.app, submitJob.id);
    assert.equal(job.status, 'FINISHED');
    const afterJob = await scrape(t.url);
    assert.equal(
      valueOf(afterJob, 'fda_jobs_total', { status: 'FINISHED', origin: 'ADHOC' }),
      finishedBefore + 1,
    );
    assert.ok(valueOf(afterJob, 'fda_jobs_total', { status: 'RUNNING', origin: 'ADHOC' }) >= 1);
    assert.equal(
      countOf(afterJob, 'fda_job_duration_seconds', { status: 'FINISHED' }) -
        countOf(before, 'fda_job_duration_seconds', { status: 'FINISHED' }),
      1,
    );
    for (const component of [
      'BaoStockTradeDayProducer',
      'BaoStockTradeDayProcessor',
      'BaoStockTradeDayStorager',
    ])
      assert.ok(
        countOf(afterJob, 'fda_step_duration_seconds', { component, status: 'FINISHED' }) >= 1,
        component,
      );
    const rows = valueOf(afterJob, 'fda_rows_written_total', {
      target: 'local',
      dialect: 'sqlite',
    });
    assert.ok(rows > 8000, `rows written to local: ${rows}`);
    assert.equal(valueOf(afterJob, 'fda_jobs_running'), 0);
    assert.equal(valueOf(afterJob, 'fda_jobs_waiting'), 0);
  });

  it('counts WebSocket clients and the subscriptions they hold', async () => {
    const ws: WsClient = connectWs(t.url);
    const { submitJob } = await gql<{ submitJob: { id: string } }>(
      t.url,
      `mutation ($document: JSON!) { submitJob(input: { document: $document }) { ... on Job { id } } }`,
      { document: offlineTradeDays },
    );
    await waitForJob(t.app, submitJob.id);
    const received = new Promise<void>((resolve, reject) => {
      ws.client.subscribe(
        { query: 'subscription { jobEvents { job { id } } }' },
        { next: () => undefined, error: reject, complete: () => undefined },
      );
      ws.client.on('connected', () => resolve());
    });
    await received;
    // The subscription is registered a moment after the socket is acknowledged.
    let families = await scrape(t.url);
    for (let i = 0; i < 50 && valueOf(families, 'fda_subscriptions') < 1; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      families = await scrape(t.url);
    }
    assert.equal(valueOf(families, 'fda_websocket_clients'), 1);
    assert.equal(valueOf(families, 'fda_subscriptions'), 1);
    assert.ok(sample(families, 'fda_nodejs_eventloop_lag_seconds')!.value !== undefined);
    await ws.close();
  });
});
