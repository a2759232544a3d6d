/**
 * Bad job specs, in both forms, and bad arguments for each built-in trade-day component, submitted
 * over HTTP to a real server. Every case must be refused with JobSpecInvalid and the problem it
 * names (path and message); nothing is queued, and nothing the server holds changes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestApp } from '../support/test-app.js';
import { gql } from '../graphql/support.js';
import {
  dataSnapshot,
  startHardeningApp,
  steps,
  submit,
  submitJob,
  waitForFinal,
  type StepTuple,
} from './support.js';

/** One problem the answer must list: its exact path and a pattern of its message. */
type Expected = [path: string, message: RegExp];

const producer = (args?: Record<string, unknown>): StepTuple => [
  'producer_0',
  'BaoStockTradeDayProducer',
  '',
  { source: 'offline', ...args },
];
const processor = (args?: Record<string, unknown>): StepTuple => [
  'processor_0',
  'BaoStockTradeDayProcessor',
  'producer_0',
  args ?? {},
];
const storager = (args?: Record<string, unknown>): StepTuple => [
  'storager_0',
  'BaoStockTradeDayStorager',
  'processor_0',
  args ?? {},
];
const tradeDayJob = (parts: {
  producer?: Record<string, unknown>;
  processor?: Record<string, unknown>;
  storager?: Record<string, unknown>;
}) => steps(producer(parts.producer), processor(parts.processor), storager(parts.storager));

const document = (pipeline_structure: unknown, extra: Record<string, unknown> = {}) => ({
  document: { pipeline_structure, ...extra },
});
const docStep = (
  component_class_name: unknown,
  pre_component_name: unknown = '',
  component_arguments: unknown = {},
) => ({ component_class_name, pre_component_name, component_arguments });

/** [what is wrong, the input (`{ steps }` or `{ document }`), the problems it must get]. */
const CASES: [string, unknown, Expected[]][] = [
  // The typed form.
  ['no steps', { steps: [] }, [['steps', /^the job has no steps$/]]],
  [
    'an unknown component, with a suggestion',
    steps(['p', 'TestRowsProduce', '']),
    [
      [
        'steps[0].componentClassName',
        /^unknown component "TestRowsProduce"; did you mean "TestRowsProducer"\?$/,
      ],
    ],
  ],
  [
    'an unknown component, nothing close',
    steps(['p', 'Zzzzzz', '']),
    [
      [
        'steps[0].componentClassName',
        /^unknown component "Zzzzzz"; known components: .*BaoStockTradeDayProducer/,
      ],
    ],
  ],
  [
    'an empty component name',
    steps(['p', '  ', '']),
    [['steps[0].componentClassName', /^must be a non-empty string naming a component$/]],
  ],
  [
    'two steps with one name',
    steps(['p', 'TestRowsProducer', ''], ['p', 'TestRowsProducer', '']),
    [['steps[1].name', /^duplicate step name "p" \(also step 1\)$/]],
  ],
  [
    'an empty step name',
    steps(['', 'TestRowsProducer', '']),
    [['steps[0].name', /^a step name must not be empty$/]],
  ],
  [
    'a predecessor that is not a step',
    steps(['p', 'TestRowsProducer', ''], ['d', 'TestDoubleProcessor', 'fetcher']),
    [
      [
        'steps[1].preComponentName',
        /^predecessor "fetcher" is not a step of this job \(steps: p, d\)$/,
      ],
    ],
  ],
  [
    'a step naming itself as predecessor',
    steps(['p', 'TestRowsProducer', ''], ['d', 'TestDoubleProcessor', 'd']),
    [['steps[1].preComponentName', /^step "d" names itself as its predecessor$/]],
  ],
  [
    'a cycle',
    steps(
      ['p', 'TestRowsProducer', ''],
      ['a', 'TestDoubleProcessor', 'b'],
      ['b', 'TestDoubleProcessor', 'a'],
    ),
    [['steps[1].preComponentName', /^steps "a" → "b" → "a" form a cycle$/]],
  ],
  [
    'no producer',
    steps(['a', 'TestDoubleProcessor', 'b'], ['b', 'TestDoubleProcessor', 'a']),
    [['', /^the job has no producer: one step must run a PRODUCER component/]],
  ],
  [
    'a producer with a predecessor',
    steps(['p', 'TestRowsProducer', ''], ['q', 'TestRowsProducer', 'p']),
    [
      [
        'steps[1].preComponentName',
        /^step "q" runs TestRowsProducer, a PRODUCER, which cannot have a predecessor \(found "p"\)$/,
      ],
    ],
  ],
  [
    'a processor without a predecessor',
    steps(['p', 'TestRowsProducer', ''], ['d', 'TestDoubleProcessor', '']),
    [
      [
        'steps[1].preComponentName',
        /^step "d" runs TestDoubleProcessor, a PROCESSOR, which needs a predecessor/,
      ],
    ],
  ],
  [
    'arguments that are a list',
    { steps: [{ name: 'p', componentClassName: 'TestRowsProducer', componentArguments: [1, 2] }] },
    [['steps[0].componentArguments', /^must be an object, not an array$/]],
  ],
  [
    'arguments that are a string',
    {
      steps: [{ name: 'p', componentClassName: 'TestRowsProducer', componentArguments: 'rows=3' }],
    },
    [['steps[0].componentArguments', /^must be an object, not string$/]],
  ],
  // The original document form.
  [
    'a document that is a string',
    { document: 'pipeline' },
    [['', /^the job spec must be a JSON object, not string$/]],
  ],
  [
    'a document without pipeline_structure',
    { document: { trigger: {} } },
    [['pipeline_structure', /^is missing: it maps each step name to its component$/]],
  ],
  [
    'a pipeline_structure that is a list',
    document([docStep('TestRowsProducer')]),
    [['pipeline_structure', /^must be an object mapping step names to steps, not an array$/]],
  ],
  [
    'an unknown top-level field',
    document({ p: docStep('TestRowsProducer') }, { pipline: {} }),
    [['pipline', /^unknown field \(expected "pipeline_structure" and optionally "trigger"\)$/]],
  ],
  [
    'a step that is not an object',
    document({ p: 'TestRowsProducer' }),
    [
      [
        'pipeline_structure.p',
        /^must be an object with component_class_name, pre_component_name and component_arguments, not string$/,
      ],
    ],
  ],
  [
    'an unknown field in a step',
    document({ p: { ...docStep('TestRowsProducer'), component_args: {} } }),
    [
      [
        'pipeline_structure.p.component_args',
        /^unknown field \(expected component_class_name, pre_component_name, component_arguments\)$/,
      ],
    ],
  ],
  [
    'a step without component_class_name',
    document({ p: { pre_component_name: '' } }),
    [
      [
        'pipeline_structure.p.component_class_name',
        /^is missing: name the component this step runs$/,
      ],
    ],
  ],
  [
    'a pre_component_name that is a number',
    document({ p: docStep('TestRowsProducer'), d: docStep('TestDoubleProcessor', 0) }),
    [
      [
        'pipeline_structure.d.pre_component_name',
        /^must be a string \(empty for a producer\), not number$/,
      ],
    ],
  ],
  [
    'component_arguments that are null-ish junk',
    document({ p: docStep('TestRowsProducer', '', true) }),
    [['pipeline_structure.p.component_arguments', /^must be an object, not boolean$/]],
  ],
  [
    'the original example’s mistake: the storager names itself',
    document({
      producer_0: docStep('BaoStockTradeDayProducer'),
      processor_0: docStep('BaoStockTradeDayProcessor', 'producer_0'),
      storager_0: docStep('BaoStockTradeDayStorager', 'storager_0'),
    }),
    [
      [
        'pipeline_structure.storager_0.pre_component_name',
        /^step "storager_0" names itself as its predecessor$/,
      ],
    ],
  ],
  // Arguments of each built-in trade-day component.
  [
    'producer: an unknown source',
    tradeDayJob({ producer: { source: 'web' } }),
    [
      [
        'steps[0].componentArguments.source',
        /^Invalid option: expected one of "baostock"\|"offline"$/,
      ],
    ],
  ],
  [
    'producer: a date that does not exist',
    tradeDayJob({ producer: { from: '2024-02-30' } }),
    [['steps[0].componentArguments.from', /^must be a date written YYYY-MM-DD$/]],
  ],
  [
    'producer: to before from',
    tradeDayJob({ producer: { from: '2024-03-01', to: '2024-02-01' } }),
    [['steps[0].componentArguments.to', /^must not be before from$/]],
  ],
  [
    'producer: a host and port of its own',
    tradeDayJob({ producer: { host: 'evil.example', port: 10030 } }),
    [['steps[0].componentArguments', /^unknown fields "host", "port"$/]],
  ],
  [
    'producer: an environment variable for a password',
    tradeDayJob({ producer: { passwordEnv: 'MYSQL_PASSWORD' } }),
    [['steps[0].componentArguments', /^unknown field "passwordEnv"$/]],
  ],
  [
    'producer: an endpoint that is not configured',
    tradeDayJob({ producer: { endpoint: 'elsewhere' } }),
    [
      [
        'steps[0].componentArguments.endpoint',
        /^no BaoStock endpoint is named "elsewhere" in sources\.json \(configured: public\)$/,
      ],
    ],
  ],
  [
    'producer: a password given as an argument',
    tradeDayJob({ producer: { password: 'secret' } }),
    [['steps[0].componentArguments', /^unknown field "password"$/]],
  ],
  [
    'producer: a timeout that is not a number',
    tradeDayJob({ producer: { totalTimeoutMs: '5s' } }),
    [
      [
        'steps[0].componentArguments.totalTimeoutMs',
        /^Invalid input: expected number, received string$/,
      ],
    ],
  ],
  [
    'processor: a from that is not a date',
    tradeDayJob({ processor: { from: 'yesterday' } }),
    [['steps[1].componentArguments.from', /^must be a date written YYYY-MM-DD$/]],
  ],
  [
    'processor: an unknown argument',
    tradeDayJob({ processor: { dedupe: true } }),
    [['steps[1].componentArguments', /^unknown field "dedupe"$/]],
  ],
  [
    'storager: an empty target list',
    tradeDayJob({ storager: { targets: [] } }),
    [['steps[2].componentArguments.targets', /^Too small: expected array to have >=1 items$/]],
  ],
  [
    'storager: targets as a string',
    tradeDayJob({ storager: { targets: 'local' } }),
    [['steps[2].componentArguments.targets', /^Invalid input: expected array, received string$/]],
  ],
];

describe('bad job specs and component arguments', () => {
  let t: TestApp;
  let initial: unknown;

  before(async () => {
    t = await startHardeningApp();
    const seeded = await submitJob(
      t.url,
      tradeDayJob({ producer: { from: '2024-01-01', to: '2024-01-31' } }),
    );
    assert.equal((await waitForFinal(t.url, seeded)).status, 'FINISHED');
    initial = await dataSnapshot(t.url);
  });
  after(async () => t?.destroy());

  for (const [name, input, expected] of CASES) {
    it(`${name} → JobSpecInvalid at ${expected.map(([path]) => path || '(root)').join(', ')}`, async () => {
      const answer = await submit(t.url, input);
      assert.equal(answer.__typename, 'JobSpecInvalid', JSON.stringify(answer));
      assert.equal(answer.code, 'JOB_SPEC_INVALID');
      for (const [path, message] of expected) {
        const found = answer.problems!.filter((p) => p.path === path);
        assert.ok(
          found.some((p) => message.test(p.message)),
          `no problem at "${path}" matching ${message}; got ${JSON.stringify(answer.problems)}`,
        );
      }
    });
  }

  it('a spec past the size caps → LimitExceeded naming the setting', async () => {
    const chain = Array.from({ length: 101 }, (_, i): StepTuple => [
      `s${i}`,
      i === 0 ? 'TestRowsProducer' : 'TestDoubleProcessor',
      i === 0 ? '' : `s${i - 1}`,
    ]);
    const tooLong = await submit(t.url, steps(...chain));
    assert.deepEqual([tooLong.__typename, tooLong.code], ['LimitExceeded', 'LIMIT_EXCEEDED']);
    assert.match(
      tooLong.message!,
      /^the job spec has 101 steps; at most 100 are allowed \(server\.json limits\.maxJobSteps\)$/,
    );
    const tooBig = await submit(
      t.url,
      steps(['p', 'TestRowsProducer', '', { probe: 'x'.repeat(300_000) }]),
    );
    assert.deepEqual([tooBig.__typename, tooBig.code], ['LimitExceeded', 'LIMIT_EXCEEDED']);
    assert.match(
      tooBig.message!,
      /^the componentArguments of step "p" are \d+ bytes of JSON; at most 262144 are allowed \(server\.json limits\.maxComponentArgumentBytes\)$/,
    );
  });

  it('a negative timeout → JobSpecInvalid at timeoutSeconds', async () => {
    const answer = await submit(t.url, steps(['p', 'TestRowsProducer', '']), -1);
    assert.deepEqual(answer.problems, [
      { path: 'timeoutSeconds', message: 'must be a positive number of seconds, not -1' },
    ]);
  });

  it('afterwards nothing was queued and nothing changed, and the server still runs jobs', async () => {
    assert.deepEqual(await dataSnapshot(t.url), initial);
    const id = await submitJob(t.url, steps(['p', 'TestRowsProducer', '', { rows: 2 }]));
    assert.equal((await waitForFinal(t.url, id)).status, 'FINISHED');
  });
  it('a storager naming an unknown target passes validation but fails its job, naming the target, writing nothing', async () => {
    const id = await submitJob(
      t.url,
      tradeDayJob({
        producer: { from: '2024-01-01', to: '2024-01-31' },
        storager: { targets: ['local', 'nowhere'] },
      }),
    );
    const job = await waitForFinal(t.url, id);
    assert.equal(job.status, 'FAILED');
    assert.match(
      job.error!,
      /^step "storager_0" failed: targets: unknown storage target\(s\) "nowhere"; configured: local$/,
    );
    const { tradeDays } = await gql<{ tradeDays: unknown[] }>(
      t.url,
      '{ tradeDays(from: "2024-01-01", to: "2024-12-31") { date isTradingDay source } }',
    );
    assert.deepEqual(tradeDays, (initial as { tradeDays: unknown[] }).tradeDays);
  });
});
