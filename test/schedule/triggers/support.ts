import assert from 'node:assert/strict';
import {
  parseTrigger,
  upcomingFireTimes,
  type Trigger,
  type TriggerDeps,
} from '../../../src/schedule/triggers/index.js';

/** Deps for triggers that never consult the calendar; a fixed random for jitter. */
export function testDeps(overrides: Partial<TriggerDeps> = {}): TriggerDeps {
  return {
    defaultTimeZone: 'Asia/Shanghai',
    isTradingDay: () =>
      Promise.reject(new Error('this trigger should not consult the trading calendar')),
    warn: (message) => assert.fail(`unexpected warning: ${message}`),
    random: () => 0.5,
    ...overrides,
  };
}

export function trigger(
  type: string,
  args: Record<string, unknown>,
  overrides: Partial<TriggerDeps> = {},
): Trigger {
  return parseTrigger({ type, arguments: args }, testDeps(overrides));
}

/** The next `count` fire times from `now`, as UTC ISO strings, for comparison with expected literals. */
export async function fireTimes(subject: Trigger, now: string, count: number): Promise<string[]> {
  return (await upcomingFireTimes(subject, new Date(now), count)).map((date) => date.toISOString());
}

/** Expected instants are written with their local offset; compared as UTC ISO strings. */
export function instants(...expected: string[]): string[] {
  return expected.map((text) => new Date(text).toISOString());
}
