import { DateTime } from 'luxon';
import { ValidationError } from '../../errors.js';
import { TradeDayQueries, type StoredTradeDay } from '../../storage/trade-day-queries.js';
import type { GraphQLContext } from '../context.js';
import { builder } from '../builder.js';

/** Longest range one `tradeDays` query returns: more than the whole calendar since 1990. */
const MAX_DAYS = 20_000;

const TradeDayRef = builder.objectRef<StoredTradeDay>('TradeDay').implement({
  description:
    'One calendar day of the China A-share (Shanghai Stock Exchange) calendar, as stored.',
  fields: (t) => ({
    date: t.expose('calendarDate', { type: 'Date' }),
    isTradingDay: t.exposeBoolean('isTradingDay'),
    source: t.exposeString('source', {
      description: 'Where the row came from: `baostock` or `offline`.',
    }),
  }),
});

/** Reads from the named target, or the control target. */
function queries({ app }: GraphQLContext, target: string | null | undefined): TradeDayQueries {
  return new TradeDayQueries(app.targets.get(target ?? app.targets.control().name));
}

const targetArg = 'The storage target to read (default: the control target).';

builder.queryFields((t) => ({
  tradeDays: t.field({
    type: [TradeDayRef],
    description: `Stored calendar days in [from, to], ascending (at most ${MAX_DAYS.toLocaleString('en')} days).`,
    args: {
      from: t.arg({ type: 'Date', required: true }),
      to: t.arg({ type: 'Date', required: true }),
      target: t.arg.string({ required: false, description: targetArg }),
    },
    resolve: (_root, { from, to, target }, context) => {
      const days = DateTime.fromISO(to).diff(DateTime.fromISO(from), 'days').days;
      if (days < 0) throw new ValidationError(`to (${to}) is before from (${from})`);
      if (days >= MAX_DAYS)
        throw new ValidationError(
          `the range ${from}..${to} is longer than ${MAX_DAYS} days; ask for less`,
        );
      return queries(context, target).between(from, to);
    },
  }),
  isTradingDay: t.boolean({
    nullable: true,
    description:
      'Whether the exchange trades on this day, by the stored calendar; null when the day is not stored.',
    args: {
      date: t.arg({ type: 'Date', required: true }),
      target: t.arg.string({ required: false, description: targetArg }),
    },
    resolve: async (_root, { date, target }, context) =>
      (await queries(context, target).isTradingDay(date)) ?? null,
  }),
  nextTradingDay: t.field({
    type: 'Date',
    nullable: true,
    description:
      'The first trading day after this day, by the stored calendar; null when none is stored.',
    args: {
      date: t.arg({ type: 'Date', required: true }),
      target: t.arg.string({ required: false, description: targetArg }),
    },
    resolve: (_root, { date, target }, context) => queries(context, target).nextTradingDay(date),
  }),
  previousTradingDay: t.field({
    type: 'Date',
    nullable: true,
    description:
      'The last trading day before this day, by the stored calendar; null when none is stored.',
    args: {
      date: t.arg({ type: 'Date', required: true }),
      target: t.arg.string({ required: false, description: targetArg }),
    },
    resolve: (_root, { date, target }, context) =>
      queries(context, target).previousTradingDay(date),
  }),
}));
