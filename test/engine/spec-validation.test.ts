import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { ComponentRegistry } from '../../src/components/registry.js';
import { parseOriginalDocument, parseStepList } from '../../src/pipeline/parse-spec.js';
import { validateJobSpec } from '../../src/pipeline/validate-spec.js';
import { collectStorager, doubleProcessor, rowsProducer } from '../components/test-components.js';

const components = new ComponentRegistry(
  [rowsProducer, doubleProcessor, collectStorager],
  null,
  pino({ level: 'silent' }),
).snapshot();

const step = (component: string, pre: string, args: Record<string, unknown> = {}) => ({
  component_class_name: component,
  pre_component_name: pre,
  component_arguments: args,
});

const goodDocument = {
  pipeline_structure: {
    producer_0: step('TestRowsProducer', ''),
    processor_0: step('TestDoubleProcessor', 'producer_0'),
    storager_0: step('TestCollectStorager', 'processor_0', { probe: 'p' }),
  },
  trigger: { type: 'cron', arguments: { hour: '9' } },
};

function documentProblems(document: unknown) {
  const result = validateJobSpec(parseOriginalDocument(document), components);
  return result.ok ? [] : result.problems;
}

function listProblems(steps: unknown) {
  const result = validateJobSpec(parseStepList(steps), components);
  return result.ok ? [] : result.problems;
}

describe('job spec validation', () => {
  it('accepts the original document (its trigger ignored) and the typed list, giving the same steps', () => {
    const fromDocument = validateJobSpec(parseOriginalDocument(goodDocument), components);
    const fromList = validateJobSpec(
      parseStepList([
        {
          name: 'producer_0',
          componentClassName: 'TestRowsProducer',
          preComponentName: '',
          componentArguments: {},
        },
        {
          name: 'processor_0',
          componentClassName: 'TestDoubleProcessor',
          preComponentName: 'producer_0',
          componentArguments: {},
        },
        {
          name: 'storager_0',
          componentClassName: 'TestCollectStorager',
          preComponentName: 'processor_0',
          componentArguments: { probe: 'p' },
        },
      ]),
      components,
    );
    assert.ok(fromDocument.ok && fromList.ok);
    assert.deepEqual(fromDocument.spec, fromList.spec);
    assert.deepEqual(
      fromDocument.steps.map((s) => s.args),
      [{ rows: 3, ms: 0, lines: 0, ignoreAbort: false }, {}, { probe: 'p' }],
    );
  });

  // Each case: the input, and every problem it must get (path and a part of the sentence).
  const cases: Array<{
    name: string;
    document?: unknown;
    steps?: unknown;
    problems: Array<[string, RegExp]>;
  }> = [
    {
      name: 'a document that is not an object',
      document: [1, 2],
      problems: [['', /must be a JSON object, not an array/]],
    },
    {
      name: 'a document that is a string',
      document: 'hello',
      problems: [['', /must be a JSON object, not string/]],
    },
    {
      name: 'no pipeline_structure',
      document: { trigger: {} },
      problems: [['pipeline_structure', /is missing/]],
    },
    {
      name: 'an unknown top-level field',
      document: { ...goodDocument, pipline: 1 },
      problems: [['pipline', /unknown field/]],
    },
    {
      name: 'an empty pipeline',
      document: { pipeline_structure: {} },
      problems: [['pipeline_structure', /no steps/]],
    },
    {
      name: 'an unknown component, with the close names suggested',
      document: {
        pipeline_structure: {
          ...goodDocument.pipeline_structure,
          producer_0: step('TestRowProducer', ''),
        },
      },
      problems: [
        [
          'pipeline_structure.producer_0.component_class_name',
          /unknown component "TestRowProducer"; did you mean "TestRowsProducer"\?/,
        ],
      ],
    },
    {
      name: 'an unknown component with nothing close lists the known ones',
      document: {
        pipeline_structure: { ...goodDocument.pipeline_structure, producer_0: step('Zzz', '') },
      },
      problems: [
        [
          'pipeline_structure.producer_0.component_class_name',
          /known components: TestCollectStorager, TestDoubleProcessor, TestRowsProducer/,
        ],
      ],
    },
    {
      name: 'a predecessor that does not exist',
      document: {
        pipeline_structure: {
          ...goodDocument.pipeline_structure,
          storager_0: step('TestCollectStorager', 'processor_9', { probe: 'p' }),
        },
      },
      problems: [
        [
          'pipeline_structure.storager_0.pre_component_name',
          /predecessor "processor_9" is not a step of this job; did you mean "processor_0"\?/,
        ],
      ],
    },
    {
      name: 'a step that names itself (the original example file’s mistake)',
      document: {
        pipeline_structure: {
          ...goodDocument.pipeline_structure,
          storager_0: step('TestCollectStorager', 'storager_0', { probe: 'p' }),
        },
      },
      problems: [
        [
          'pipeline_structure.storager_0.pre_component_name',
          /"storager_0" names itself as its predecessor/,
        ],
      ],
    },
    {
      name: 'a cycle, naming its steps',
      document: {
        pipeline_structure: {
          producer_0: step('TestRowsProducer', ''),
          a: step('TestDoubleProcessor', 'c'),
          b: step('TestDoubleProcessor', 'a'),
          c: step('TestDoubleProcessor', 'b'),
        },
      },
      problems: [
        ['pipeline_structure.a.pre_component_name', /steps "a" → "b" → "c" → "a" form a cycle/],
      ],
    },
    {
      name: 'no producer',
      document: {
        pipeline_structure: {
          p: step('TestDoubleProcessor', 's'),
          s: step('TestCollectStorager', 'p', { probe: 'x' }),
        },
      },
      problems: [
        ['', /no producer/],
        ['pipeline_structure.p.pre_component_name', /form a cycle/],
      ],
    },
    {
      name: 'a producer with a predecessor',
      document: {
        pipeline_structure: {
          p0: step('TestRowsProducer', ''),
          p1: step('TestRowsProducer', 'p0'),
        },
      },
      problems: [
        [
          'pipeline_structure.p1.pre_component_name',
          /a PRODUCER, which cannot have a predecessor \(found "p0"\)/,
        ],
      ],
    },
    {
      name: 'a processor and a storager without a predecessor',
      document: {
        pipeline_structure: {
          p0: step('TestRowsProducer', ''),
          x: step('TestDoubleProcessor', ''),
          y: step('TestCollectStorager', '', { probe: 'p' }),
        },
      },
      problems: [
        ['pipeline_structure.x.pre_component_name', /a PROCESSOR, which needs a predecessor/],
        ['pipeline_structure.y.pre_component_name', /a STORAGER, which needs a predecessor/],
      ],
    },
    {
      name: 'arguments that fail the component’s schema, with the path into them',
      document: {
        pipeline_structure: {
          ...goodDocument.pipeline_structure,
          producer_0: step('TestRowsProducer', '', { rows: -1, lines: 'many', extra: true }),
        },
      },
      problems: [
        ['pipeline_structure.producer_0.component_arguments.rows', /too small|>=0/i],
        ['pipeline_structure.producer_0.component_arguments.lines', /expected number/],
        ['pipeline_structure.producer_0.component_arguments', /unknown field "extra"/],
      ],
    },
    {
      name: 'a step that is not an object, and one with a misspelt field',
      document: {
        pipeline_structure: {
          ...goodDocument.pipeline_structure,
          broken: 7,
          processor_0: { ...step('TestDoubleProcessor', 'producer_0'), component_argument: {} },
        },
      },
      problems: [
        ['pipeline_structure.processor_0.component_argument', /unknown field/],
        ['pipeline_structure.broken', /must be an object/],
      ],
    },
    {
      name: 'the typed list not being a list',
      steps: { a: 1 },
      problems: [['steps', /must be a list of steps, not object/]],
    },
    {
      name: 'an empty and a duplicate step name in the typed list',
      steps: [
        {
          name: 'p',
          componentClassName: 'TestRowsProducer',
          preComponentName: '',
          componentArguments: {},
        },
        {
          name: 'q',
          componentClassName: 'TestDoubleProcessor',
          preComponentName: 'p',
          componentArguments: {},
        },
        {
          name: '',
          componentClassName: 'TestDoubleProcessor',
          preComponentName: 'p',
          componentArguments: {},
        },
        {
          name: 'q',
          componentClassName: 'TestDoubleProcessor',
          preComponentName: 'p',
          componentArguments: {},
        },
      ],
      problems: [
        ['steps[2].name', /must not be empty/],
        ['steps[3].name', /duplicate step name "q" \(also step 2\)/],
      ],
    },
    {
      name: 'typed-list paths into arguments and a missing component name',
      steps: [
        {
          name: 'p',
          componentClassName: 'TestRowsProducer',
          preComponentName: '',
          componentArguments: { ms: 'slow' },
        },
        { name: 's', preComponentName: 'p', componentArguments: {} },
      ],
      problems: [
        ['steps[0].componentArguments.ms', /expected number/],
        ['steps[1].componentClassName', /is missing/],
      ],
    },
  ];

  for (const c of cases) {
    it(`reports ${c.name}`, () => {
      const problems =
        c.document !== undefined ? documentProblems(c.document) : listProblems(c.steps);
      const summary = JSON.stringify(problems, null, 1);
      assert.equal(
        problems.length,
        c.problems.length,
        `expected ${c.problems.length} problems, got ${summary}`,
      );
      for (const [path, message] of c.problems) {
        assert.ok(
          problems.some((p) => p.path === path && message.test(p.message)),
          `no problem at "${path}" matching ${message}; got ${summary}`,
        );
      }
    });
  }
});
