import { monthRange, type PyDateTime } from './py-datetime.js';

/**
 * The expressions of APScheduler 3.x's `triggers/cron/expressions.py`, ported one to one. Each
 * finds the smallest value of its field that is at least the date's current value, or null.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const MONTHS = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
] as const;

/** What an expression needs from its field: the date's value and the field's bounds for that date. */
export interface FieldView {
  getValue(date: PyDateTime): number;
  getMin(date: PyDateTime): number;
  getMax(date: PyDateTime): number;
}

export interface CronExpression {
  getNextValue(date: PyDateTime, field: FieldView): number | null;
  toString(): string;
}

/** A failed compile or range check, worded as APScheduler words it. */
export class ExpressionError extends Error {}

/** Python's `%`, which is never negative for a positive divisor. */
const mod = (a: number, n: number): number => ((a % n) + n) % n;

export class AllExpression implements CronExpression {
  constructor(readonly step: number | null) {
    if (step === 0) throw new ExpressionError('the step must be higher than 0');
  }

  validateRange(min: number, max: number): void {
    const range = max - min;
    if (this.step !== null && this.step > range) {
      throw new ExpressionError(
        `the step value (${this.step}) is higher than the total range of the expression (${range})`,
      );
    }
  }

  getNextValue(date: PyDateTime, field: FieldView): number | null {
    const min = field.getMin(date);
    const start = Math.max(field.getValue(date), min);
    const next = this.step === null ? start : start + mod(this.step - (start - min), this.step);
    return next <= field.getMax(date) ? next : null;
  }

  toString(): string {
    return this.step === null ? '*' : `*/${this.step}`;
  }
}

export class RangeExpression implements CronExpression {
  readonly first: number;
  readonly last: number | null;

  constructor(
    first: number,
    last: number | null,
    readonly step: number | null,
  ) {
    if (step === 0) throw new ExpressionError('the step must be higher than 0');
    if (last === null && step === null) last = first;
    if (last !== null && first > last)
      throw new ExpressionError('the minimum value in a range must not be higher than the maximum');
    this.first = first;
    this.last = last;
  }

  validateRange(min: number, max: number): void {
    if (this.first < min)
      throw new ExpressionError(
        `the first value (${this.first}) is lower than the minimum value (${min})`,
      );
    if (this.last !== null && this.last > max)
      throw new ExpressionError(
        `the last value (${this.last}) is higher than the maximum value (${max})`,
      );
    // Python's `(self.last or MAX) - self.first`: a last value of 0 also falls back to the maximum.
    const range = (this.last || max) - this.first;
    if (this.step !== null && this.step > range) {
      throw new ExpressionError(
        `the step value (${this.step}) is higher than the total range of the expression (${range})`,
      );
    }
  }

  getNextValue(date: PyDateTime, field: FieldView): number | null {
    const start = field.getValue(date);
    const min = Math.max(field.getMin(date), this.first);
    const max = this.last !== null ? Math.min(field.getMax(date), this.last) : field.getMax(date);
    let next = Math.max(min, start);
    if (this.step !== null) next += mod(this.step - (next - min), this.step);
    return next <= max ? next : null;
  }

  toString(): string {
    const range =
      this.last !== this.first && this.last !== null
        ? `${this.first}-${this.last}`
        : String(this.first);
    return this.step !== null ? `${range}/${this.step}` : range;
  }
}

/** A range written with names (`jan-mar`, `mon-fri`); shown with the names again. */
export class NamedRangeExpression extends RangeExpression {
  constructor(
    first: number,
    last: number | null,
    private readonly names: readonly string[],
    private readonly firstNumber: number,
  ) {
    super(first, last, null);
  }

  override toString(): string {
    const name = (value: number): string => this.names[value - this.firstNumber] ?? String(value);
    return this.last !== this.first && this.last !== null
      ? `${name(this.first)}-${name(this.last)}`
      : name(this.first);
  }
}

export const WEEKDAY_POSITIONS = ['1st', '2nd', '3rd', '4th', '5th', 'last'] as const;

/** `xth y` and `last y` in the day field: the x-th (or last) weekday y of the month. */
export class WeekdayPositionExpression implements CronExpression {
  constructor(
    readonly position: number,
    readonly weekday: number,
  ) {}

  validateRange(): void {}

  getNextValue(date: PyDateTime): number | null {
    const { firstWeekday, days } = monthRange(date.year, date.month);
    let firstHit = this.weekday - firstWeekday + 1;
    if (firstHit <= 0) firstHit += 7;
    const target =
      this.position < 5
        ? firstHit + this.position * 7
        : firstHit + Math.floor((days - firstHit) / 7) * 7;
    return target <= days && target >= date.day ? target : null;
  }

  toString(): string {
    return `${WEEKDAY_POSITIONS[this.position]} ${WEEKDAYS[this.weekday]}`;
  }
}

/** `last` in the day field: the month's last day. */
export class LastDayOfMonthExpression implements CronExpression {
  validateRange(): void {}

  getNextValue(date: PyDateTime): number {
    return monthRange(date.year, date.month).days;
  }

  toString(): string {
    return 'last';
  }
}
