import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { collect, connectWs, gql, range, seqsOf, type Result, type WsClient } from './support.js';

type StatusResult = Result<{
  jobStatus: {
    job: {
      status: string;
      logCount: number;
      progress: { items: Array<{ label: string | null; done: number; total: number }> };
    };
  };
}>;
type LogsResult = Result<{
  jobLogs: { cursor: number; lines: { seq: number; message: string }[] };
}>;

// The original system's document, as a user would submit it.
const document = {
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

describe('the trade-day job over graphql-ws', () => {
  let t: TestApp;
  let ws: WsClient;
  before(async () => {
    t = await startTestApp();
    ws = connectWs(t.url);
  });
  after(async () => {
    await ws.close();
    await t.destroy();
  });

  it('submits the job, follows its status to FINISHED and its log lines 1..n, live and after the end', async () => {
    const submitted = await gql<{ submitJob: { __typename: string; id: string } }>(
      t.url,
      `mutation ($document: JSON!) { submitJob(input: { document: $document }) { __typename ... on Job { id } } }`,
      { document },
    );
    assert.equal(submitted.submitJob.__typename, 'Job');
    const id = submitted.submitJob.id;
    const [status, logs] = await Promise.all([
      collect<StatusResult['data']>(
        ws,
        `subscription ($id: ID!) { jobStatus(id: $id) { job { status logCount progress { items { label done total } } } } }`,
        { id },
      ),
      collect<LogsResult['data']>(
        ws,
        `subscription ($id: ID!) { jobLogs(id: $id) { cursor lines { seq message } } }`,
        { id },
      ),
    ]);
    const jobs = (status.results as StatusResult[]).map((r) => r.data!.jobStatus.job);
    const final = jobs.at(-1)!;
    assert.equal(final.status, 'FINISHED');
    const [written] = final.progress.items;
    assert.equal(final.progress.items.length, 1);
    assert.equal(written!.label, 'local');
    assert.equal(written!.done, written!.total, 'every row written');
    assert.ok(written!.total > 8000, 'the whole covered range');
    const seqs = seqsOf(logs.results as LogsResult[]);
    assert.deepEqual(seqs, range(1, final.logCount));
    const messages = (logs.results as LogsResult[]).flatMap((r) =>
      r.data!.jobLogs.lines.map((l) => l.message),
    );
    assert.ok(
      messages.some((m) =>
        /^target "local": \d+ inserted, 0 updated, 0 unchanged in \d+ ms/.test(m),
      ),
    );

    const later = await collect<LogsResult['data']>(
      ws,
      `subscription ($id: ID!) { jobLogs(id: $id) { cursor lines { seq message } } }`,
      { id },
    );
    assert.deepEqual(
      seqsOf(later.results as LogsResult[]),
      range(1, final.logCount),
      'the same sequence after the job ended',
    );
  });
});
