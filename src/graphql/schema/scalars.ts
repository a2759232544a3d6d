import { GraphQLError, Kind, valueFromASTUntyped, type ValueNode } from 'graphql';
import { DateTime } from 'luxon';
import { builder } from '../builder.js';

const describe = (value: unknown): string => {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
};

/** Dates and times must say their offset: a bare local time would mean a different instant on every server. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseDateTime(value: unknown): Date {
  if (typeof value === 'string' && DATE_TIME.test(value)) {
    const parsed = DateTime.fromISO(value, { setZone: true });
    if (parsed.isValid) return parsed.toJSDate();
  }
  throw new GraphQLError(
    `DateTime must be an ISO 8601 date and time with an offset, e.g. "2024-05-06T09:30:00Z" or "2024-05-06T17:30:00+08:00"; got ${describe(value)}`,
  );
}

export function parseCalendarDate(value: unknown): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const parsed = DateTime.fromISO(value, { zone: 'UTC' });
    if (parsed.isValid && parsed.toISODate() === value) return value;
    throw new GraphQLError(`Date ${JSON.stringify(value)} is not a real calendar day`);
  }
  throw new GraphQLError(
    `Date must be a calendar day written YYYY-MM-DD, e.g. "2024-05-06"; got ${describe(value)}`,
  );
}

builder.scalarType('DateTime', {
  description: 'An instant, written as ISO 8601 with an offset (e.g. `2024-05-06T09:30:00.000Z`).',
  serialize: (value) => {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
    throw new GraphQLError(`DateTime cannot represent ${describe(value)}`);
  },
  parseValue: parseDateTime,
  parseLiteral: (node) => {
    if (node.kind !== Kind.STRING)
      throw new GraphQLError('DateTime must be written as a string', { nodes: node });
    return parseDateTime(node.value);
  },
});

builder.scalarType('Date', {
  description: 'A calendar day, written `YYYY-MM-DD` (e.g. `2024-05-06`); it must exist.',
  serialize: (value) => parseCalendarDate(value),
  parseValue: parseCalendarDate,
  parseLiteral: (node) => {
    if (node.kind !== Kind.STRING)
      throw new GraphQLError('Date must be written as a string YYYY-MM-DD', { nodes: node });
    return parseCalendarDate(node.value);
  },
});

builder.scalarType('JSON', {
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (node: ValueNode, variables) => valueFromASTUntyped(node, variables ?? undefined),
});
