import {
  AllExpression,
  ExpressionError,
  LastDayOfMonthExpression,
  MONTHS,
  NamedRangeExpression,
  RangeExpression,
  WEEKDAY_POSITIONS,
  WEEKDAYS,
  WeekdayPositionExpression,
  type CronExpression,
  type FieldView,
} from './cron-expressions.js';
import { monthRange, type PyDateTime } from './py-datetime.js';

/**
 * The fields of APScheduler 3.x's `triggers/cron/fields.py`. The order is significance, most
 * significant first. `week` and `day_of_week` are not "real" datetime fields: the search never
 * sets them, it only moves the date on until they match.
 */
export const FIELD_NAMES = [
  'year',
  'month',
  'day',
  'week',
  'day_of_week',
  'hour',
  'minute',
  'second',
] as const;
export type FieldName = (typeof FIELD_NAMES)[number];
export type RealFieldName = Exclude<FieldName, 'week' | 'day_of_week'>;

export const MIN_VALUES: Record<FieldName, number> = {
  year: 1970,
  month: 1,
  day: 1,
  week: 1,
  day_of_week: 0,
  hour: 0,
  minute: 0,
  second: 0,
};
export const MAX_VALUES: Record<FieldName, number> = {
  year: 9999,
  month: 12,
  day: 31,
  week: 53,
  day_of_week: 6,
  hour: 23,
  minute: 59,
  second: 59,
};
/** What an omitted field less significant than the least significant given one means. */
export const DEFAULT_VALUES: Record<FieldName, string> = {
  year: '*',
  month: '1',
  day: '1',
  week: '*',
  day_of_week: '*',
  hour: '0',
  minute: '0',
  second: '0',
};

export class CronField implements FieldView {
  constructor(
    readonly name: FieldName,
    readonly expressions: readonly CronExpression[],
    readonly isDefault: boolean,
  ) {}

  get real(): boolean {
    return this.name !== 'week' && this.name !== 'day_of_week';
  }

  getMin(): number {
    return MIN_VALUES[this.name];
  }

  getMax(date: PyDateTime): number {
    return this.name === 'day' ? monthRange(date.year, date.month).days : MAX_VALUES[this.name];
  }

  getValue(date: PyDateTime): number {
    switch (this.name) {
      case 'week':
        return date.isoWeek;
      case 'day_of_week':
        return date.weekday;
      default:
        return date[this.name];
    }
  }

  getNextValue(date: PyDateTime): number | null {
    let smallest: number | null = null;
    for (const expression of this.expressions) {
      const value = expression.getNextValue(date, this);
      if (smallest === null || (value !== null && value < smallest)) smallest = value;
    }
    return smallest;
  }

  toString(): string {
    return this.expressions.map(String).join(',');
  }
}

/** A parsed field, or the sentences saying what is wrong with it. */
export type CompiledField = { ok: true; field: CronField } | { ok: false; problems: string[] };

interface Compiler {
  /** Matches at the start of the expression, like Python's `re.match`. */
  readonly pattern: RegExp;
  /** Whether APScheduler anchors the pattern at the end too; if not, it ignores what follows the match. */
  readonly anchored: boolean;
  compile(
    groups: readonly (string | undefined)[],
  ): CronExpression & { validateRange(min: number, max: number): void };
}

const int = (text: string | undefined): number | null => (text === undefined ? null : Number(text));

const ALL: Compiler = {
  pattern: /^\*(?:\/(\d+))?$/,
  anchored: true,
  compile: ([step]) => new AllExpression(int(step)),
};

const RANGE: Compiler = {
  pattern: /^(\d+)(?:-(\d+))?(?:\/(\d+))?$/,
  anchored: true,
  compile: ([first, last, step]) => new RangeExpression(Number(first), int(last), int(step)),
};

function nameIndex(names: readonly string[], name: string, kind: string): number {
  const index = names.indexOf(name.toLowerCase());
  if (index < 0)
    throw new ExpressionError(
      `invalid ${kind} name ${JSON.stringify(name)} (use ${names[0]}-${names[names.length - 1]})`,
    );
  return index;
}

const MONTH_RANGE: Compiler = {
  pattern: /^([a-z]+)(?:-([a-z]+))?/i,
  anchored: false,
  compile: ([first = '', last]) =>
    new NamedRangeExpression(
      nameIndex(MONTHS, first, 'month') + 1,
      last ? nameIndex(MONTHS, last, 'month') + 1 : null,
      MONTHS,
      1,
    ),
};

const WEEKDAY_RANGE: Compiler = {
  pattern: /^([a-z]+)(?:-([a-z]+))?/i,
  anchored: false,
  compile: ([first = '', last]) =>
    new NamedRangeExpression(
      nameIndex(WEEKDAYS, first, 'weekday'),
      last ? nameIndex(WEEKDAYS, last, 'weekday') : null,
      WEEKDAYS,
      0,
    ),
};

const WEEKDAY_POSITION: Compiler = {
  pattern: new RegExp(`^(${WEEKDAY_POSITIONS.join('|')}) +(\\d+|\\w+)`, 'i'),
  anchored: false,
  compile: ([position = '', weekday = '']) =>
    new WeekdayPositionExpression(
      WEEKDAY_POSITIONS.indexOf(position.toLowerCase() as (typeof WEEKDAY_POSITIONS)[number]),
      nameIndex(WEEKDAYS, weekday, 'weekday'),
    ),
};

const LAST_DAY: Compiler = {
  pattern: /^last/i,
  anchored: false,
  compile: () => new LastDayOfMonthExpression(),
};

const COMPILERS: Record<FieldName, readonly Compiler[]> = {
  year: [ALL, RANGE],
  month: [ALL, RANGE, MONTH_RANGE],
  day: [ALL, RANGE, WEEKDAY_POSITION, LAST_DAY],
  week: [ALL, RANGE],
  day_of_week: [ALL, RANGE, WEEKDAY_RANGE],
  hour: [ALL, RANGE],
  minute: [ALL, RANGE],
  second: [ALL, RANGE],
};

const FORMS: Record<FieldName, string> = {
  year: '*, */n, a, a-b, a-b/n or a/n with years 1970-9999',
  month: '*, */n, a, a-b, a-b/n, a/n with months 1-12, or names jan-dec (e.g. "jan-mar")',
  day: '*, */n, a, a-b, a-b/n, a/n with days 1-31, "xth y" (e.g. "3rd fri"), "last y" (e.g. "last fri") or "last"',
  week: '*, */n, a, a-b, a-b/n or a/n with ISO weeks 1-53',
  day_of_week:
    '*, */n, a, a-b, a-b/n, a/n with 0 = mon … 6 = sun, or names mon-sun (e.g. "mon-fri")',
  hour: '*, */n, a, a-b, a-b/n or a/n with hours 0-23',
  minute: '*, */n, a, a-b, a-b/n or a/n with minutes 0-59',
  second: '*, */n, a, a-b, a-b/n or a/n with seconds 0-59',
};

/** `BaseField.compile_expressions`: a comma-separated list, each part read by the first compiler whose pattern matches. */
export function compileField(name: FieldName, value: string, isDefault: boolean): CompiledField {
  const expressions: CronExpression[] = [];
  const problems: string[] = [];
  for (const part of value.trim().split(/ *, */)) {
    try {
      expressions.push(compileExpression(name, part));
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      problems.push(error.message);
    }
  }
  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, field: new CronField(name, expressions, isDefault) };
}

function compileExpression(name: FieldName, text: string): CronExpression {
  for (const compiler of COMPILERS[name]) {
    const match = compiler.pattern.exec(text);
    if (match === null) continue;
    if (!compiler.anchored && match[0].length < text.length) {
      // APScheduler would quietly drop the rest; firing on a different schedule than the one written is worse than refusing.
      const ignored = text.slice(match[0].length);
      throw new ExpressionError(
        `${JSON.stringify(text)}: APScheduler 3 reads only ${JSON.stringify(match[0])} and silently ignores ${JSON.stringify(ignored)}, so this is refused; write ${FORMS[name]}`,
      );
    }
    try {
      const expression = compiler.compile(match.slice(1));
      expression.validateRange(MIN_VALUES[name], MAX_VALUES[name]);
      return expression;
    } catch (error) {
      if (error instanceof ExpressionError)
        throw new ExpressionError(`${JSON.stringify(text)}: ${error.message}${rangeHint(name)}`);
      throw error;
    }
  }
  throw new ExpressionError(
    `${JSON.stringify(text)} is not a valid expression; ${name} takes ${FORMS[name]}`,
  );
}

function rangeHint(name: FieldName): string {
  return name === 'day_of_week' ? ' (APScheduler numbers weekdays 0 = mon … 6 = sun)' : '';
}
