import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError, ValidationError } from '../../../src/errors.js';
import { parseTrigger } from '../../../src/schedule/triggers/index.js';
import { testDeps } from './support.js';

interface InvalidRow {
  json: unknown;
  path: string;
  message: RegExp;
}

const cron = (args: Record<string, unknown>): unknown => ({ type: 'cron', arguments: args });

/** Each is refused by APScheduler 3.x too, or could not be honoured exactly (noted). */
const invalid: InvalidRow[] = [
  {
    json: cron({ day_of_week: '7' }),
    path: 'trigger.arguments.day_of_week',
    message: /the last value \(7\) is higher than the maximum value \(6\).*0 = mon … 6 = sun/,
  },
  {
    json: cron({ day_of_week: 'sun-mon' }),
    path: 'trigger.arguments.day_of_week',
    message: /minimum value in a range must not be higher than the maximum/,
  },
  {
    json: cron({ day_of_week: 'monday' }),
    path: 'trigger.arguments.day_of_week',
    message: /invalid weekday name "monday"/,
  },
  {
    json: cron({ month: 'foo' }),
    path: 'trigger.arguments.month',
    message: /invalid month name "foo"/,
  },
  {
    json: cron({ hour: '24' }),
    path: 'trigger.arguments.hour',
    message: /the last value \(24\) is higher than the maximum value \(23\)/,
  },
  {
    json: cron({ hour: 24 }),
    path: 'trigger.arguments.hour',
    message: /the last value \(24\) is higher than the maximum value \(23\)/,
  },
  {
    json: cron({ minute: '*/60' }),
    path: 'trigger.arguments.minute',
    message: /the step value \(60\) is higher than the total range of the expression \(59\)/,
  },
  {
    json: cron({ day: '4-6/3' }),
    path: 'trigger.arguments.day',
    message: /the step value \(3\) is higher than the total range of the expression \(2\)/,
  },
  {
    json: cron({ day: '0' }),
    path: 'trigger.arguments.day',
    message: /the first value \(0\) is lower than the minimum value \(1\)/,
  },
  {
    json: cron({ second: '1-5/0' }),
    path: 'trigger.arguments.second',
    message: /the step must be higher than 0/,
  },
  {
    json: cron({ year: '1969' }),
    path: 'trigger.arguments.year',
    message: /the first value \(1969\) is lower than the minimum value \(1970\)/,
  },
  {
    json: cron({ week: 54 }),
    path: 'trigger.arguments.week',
    message: /the last value \(54\) is higher than the maximum value \(53\)/,
  },
  {
    json: cron({ hour: '9am' }),
    path: 'trigger.arguments.hour',
    message: /"9am" is not a valid expression; hour takes/,
  },
  {
    json: cron({ hour: 9.5 }),
    path: 'trigger.arguments.hour',
    message: /"9.5" is not a valid expression/,
  },
  {
    json: cron({ day: '3rd friday' }),
    path: 'trigger.arguments.day',
    message: /invalid weekday name "friday"/,
  },
  {
    json: cron({ day: 'first mon' }),
    path: 'trigger.arguments.day',
    message: /"first mon" is not a valid expression; day takes/,
  },
  // APScheduler would read only a prefix of these and drop the rest without a word.
  {
    json: cron({ month: 'jan-mar/2' }),
    path: 'trigger.arguments.month',
    message: /reads only "jan-mar" and silently ignores "\/2"/,
  },
  {
    json: cron({ day_of_week: 'mon - fri' }),
    path: 'trigger.arguments.day_of_week',
    message: /reads only "mon" and silently ignores " - fri"/,
  },
  {
    json: cron({ day: 'lastday' }),
    path: 'trigger.arguments.day',
    message: /reads only "last" and silently ignores "day"/,
  },
  {
    json: cron({ day: 'last fri-sat' }),
    path: 'trigger.arguments.day',
    message: /reads only "last fri" and silently ignores "-sat"/,
  },
  {
    json: cron({ hour: '9,,10' }),
    path: 'trigger.arguments.hour',
    message: /"" is not a valid expression/,
  },
  {
    json: cron({ hour: true }),
    path: 'trigger.arguments.hour',
    message: /must be a string .* not boolean/,
  },
  {
    json: cron({ seconds: '0' }),
    path: 'trigger.arguments.seconds',
    message:
      /unknown argument for a cron trigger \(it takes year, month, day, week, day_of_week, hour, minute, second, start_date, end_date, timezone, jitter\)/,
  },
  {
    json: cron({ hour: 9, timezone: 'Mars/Olympus_Mons' }),
    path: 'trigger.arguments.timezone',
    message: /"Mars\/Olympus_Mons" is not a known IANA time zone/,
  },
  {
    json: cron({ hour: 9, timezone: 'asia/shanghai' }),
    path: 'trigger.arguments.timezone',
    message: /names are case-sensitive \(did you mean "Asia\/Shanghai"\?\)/,
  },
  {
    json: cron({ hour: 9, timezone: 8 }),
    path: 'trigger.arguments.timezone',
    message: /must be a time zone name .* not number/,
  },
  {
    json: cron({ hour: 9, start_date: '2024/01/01' }),
    path: 'trigger.arguments.start_date',
    message: /"2024\/01\/01" is not a date APScheduler accepts/,
  },
  {
    json: cron({ hour: 9, end_date: '2024-02-30' }),
    path: 'trigger.arguments.end_date',
    message: /"2024-02-30" is not a real date and time: day 30 is not in that month/,
  },
  {
    json: cron({ hour: 9, end_date: '2024-01-01 24:00:00' }),
    path: 'trigger.arguments.end_date',
    message: /hour 24 is not 0-23/,
  },
  {
    json: cron({ hour: 9, start_date: '2024-01-01 09:00:00.5' }),
    path: 'trigger.arguments.start_date',
    message: /fraction of a second, which is not supported/,
  },
  {
    json: cron({ hour: 9, start_date: '2024-01-01 09:00:00+24:00' }),
    path: 'trigger.arguments.start_date',
    message: /offset of 24 hours or more/,
  },
  {
    json: cron({ hour: 9, jitter: '10' }),
    path: 'trigger.arguments.jitter',
    message: /must be a number of seconds, not string/,
  },
  {
    json: { type: 'interval', arguments: { hours: '1' } },
    path: 'trigger.arguments.hours',
    message: /must be a number, not "1"/,
  },
  {
    json: { type: 'interval', arguments: { minutes: -5 } },
    path: 'trigger.arguments.minutes',
    message: /must not be negative, not -5/,
  },
  {
    json: { type: 'interval', arguments: { weeks: null } },
    path: 'trigger.arguments.weeks',
    message: /must be a number, not null/,
  },
  {
    json: { type: 'interval', arguments: { seconds: 0.0005 } },
    path: 'trigger.arguments.seconds',
    message: /fraction of a millisecond/,
  },
  {
    json: { type: 'interval', arguments: { hours: 1, end_date: '' } },
    path: 'trigger.arguments.end_date',
    message: /"" is not a date APScheduler accepts/,
  },
  {
    json: { type: 'interval', arguments: { hours: 1, run_date: '2024-01-01' } },
    path: 'trigger.arguments.run_date',
    message: /unknown argument for an interval trigger/,
  },
  {
    json: { type: 'date', arguments: { run_date: 20240101 } },
    path: 'trigger.arguments.run_date',
    message: /must be a date string .* not number/,
  },
  {
    json: { type: 'trading_day', arguments: { hour: 25 } },
    path: 'trigger.arguments.hour',
    message: /must be 0-23, not 25/,
  },
  {
    json: { type: 'trading_day', arguments: { offset_days: 1.5 } },
    path: 'trigger.arguments.offset_days',
    message: /must be a whole number of days, not 1.5/,
  },
  {
    json: { type: 'trading_day', arguments: { offset_days: -40 } },
    path: 'trigger.arguments.offset_days',
    message: /must be between -31 and 31/,
  },
  {
    json: { type: 'crontab', arguments: {} },
    path: 'trigger.type',
    message:
      /"crontab" is not a trigger type; use one of "cron", "interval", "date", "trading_day"/,
  },
  { json: { type: 'cron' }, path: 'trigger.arguments', message: /is missing/ },
  {
    json: { type: 'cron', arguments: [] },
    path: 'trigger.arguments',
    message: /must be an object of trigger arguments, not an array/,
  },
  {
    json: { type: 'cron', arguments: {}, start_date: '2024-01-01' },
    path: 'trigger.start_date',
    message: /unknown field \(a trigger has "type" and "arguments"\)/,
  },
  { json: 'cron', path: 'trigger', message: /must be an object .* not string/ },
];

function problemsOf(json: unknown, basePath?: string): { path: string; message: string }[] {
  try {
    parseTrigger(json, testDeps(), basePath);
  } catch (error) {
    assert.ok(error instanceof ValidationError, String(error));
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'VALIDATION');
    for (const problem of error.problems)
      assert.ok(error.message.includes(problem.message), 'the message lists every problem');
    return error.problems.map((problem) => ({ path: problem.path, message: problem.message }));
  }
  assert.fail(`${JSON.stringify(json)} was accepted`);
}

describe('parseTrigger: invalid arguments', () => {
  for (const row of invalid) {
    it(`refuses ${JSON.stringify(row.json)}`, () => {
      const problems = problemsOf(row.json);
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.equal(problems[0]?.path, row.path);
      assert.match(problems[0]?.message ?? '', row.message);
    });
  }

  it("reports every problem at once, under the caller's path", () => {
    const problems = problemsOf(
      cron({ day_of_week: '7', hour: '25', minute: '1,x', foo: 1 }),
      'schedules.daily.trigger',
    );
    assert.deepEqual(
      problems.map((problem) => problem.path),
      [
        'schedules.daily.trigger.arguments.foo',
        'schedules.daily.trigger.arguments.day_of_week',
        'schedules.daily.trigger.arguments.hour',
        'schedules.daily.trigger.arguments.minute',
      ],
    );
  });
});

describe('parseTrigger: accepted forms', () => {
  it('takes numbers and strings alike, and spaces around commas', () => {
    const fromStrings = parseTrigger(cron({ hour: '9', minute: ' 0 , 30 ' }), testDeps());
    const fromNumbers = parseTrigger(cron({ hour: 9, minute: '0,30' }), testDeps());
    assert.equal(fromStrings.describe(), fromNumbers.describe());
    assert.equal(fromNumbers.describe(), "cron[hour='9', minute='0,30'] Asia/Shanghai");
  });

  it('treats an empty or null timezone as the default zone and "UTC" as UTC', () => {
    assert.equal(
      parseTrigger(cron({ hour: 9, timezone: '' }), testDeps()).timeZone,
      'Asia/Shanghai',
    );
    assert.equal(
      parseTrigger(cron({ hour: 9, timezone: null }), testDeps()).timeZone,
      'Asia/Shanghai',
    );
    assert.equal(parseTrigger(cron({ hour: 9, timezone: 'UTC' }), testDeps()).timeZone, 'UTC');
    assert.equal(
      parseTrigger(cron({ hour: 9 }), testDeps({ defaultTimeZone: 'Europe/Berlin' })).timeZone,
      'Europe/Berlin',
    );
  });

  it('reports an unknown default zone instead of guessing one', () => {
    assert.throws(
      () => parseTrigger(cron({ hour: 9 }), testDeps({ defaultTimeZone: 'Nowhere/Atlantis' })),
      (error: unknown) =>
        error instanceof ValidationError &&
        error.problems[0]?.path === 'trigger.arguments.timezone' &&
        /"Nowhere\/Atlantis" is not a known IANA time zone/.test(error.message),
    );
  });

  it('accepts every argument APScheduler documents for each type', () => {
    const built = [
      parseTrigger(
        cron({
          year: '2024-2030',
          month: 'jan',
          day: '1st mon',
          week: '*',
          day_of_week: 'mon',
          hour: 9,
          minute: 0,
          second: 0,
          start_date: '2024-01-01',
          end_date: '2030-12-31 23:59:59',
          timezone: 'Asia/Shanghai',
          jitter: 5,
        }),
        testDeps(),
      ),
      parseTrigger(
        {
          type: 'interval',
          arguments: {
            weeks: 0,
            days: 1,
            hours: 0,
            minutes: 0,
            seconds: 0,
            start_date: '2024-01-01T09:00:00',
            end_date: '2030-01-01',
            timezone: 'UTC',
            jitter: 1.5,
          },
        },
        testDeps(),
      ),
      parseTrigger(
        { type: 'date', arguments: { run_date: '2024-01-01 09:00:00', timezone: 'Europe/Berlin' } },
        testDeps(),
      ),
      parseTrigger(
        {
          type: 'trading_day',
          arguments: { hour: 15, minute: 0, second: 0, offset_days: -1, timezone: 'Asia/Shanghai' },
        },
        testDeps(),
      ),
    ];
    assert.deepEqual(
      built.map((trigger) => trigger.type),
      ['cron', 'interval', 'date', 'trading_day'],
    );
  });
});
