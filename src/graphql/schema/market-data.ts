import { ValidationError } from '../../errors.js';
import { adjustDailyBars, type AdjustMode } from '../../sources/baostock/adjust-daily-bars.js';
import type { DailyBar } from '../../sources/baostock/market-rows.js';
import {
  MarketQueries,
  type BarCoverageDay,
  type StoredSecurity,
} from '../../storage/market-queries.js';
import { builder } from '../builder.js';
import type { GraphQLContext } from '../context.js';

const MAX_SECURITIES_PAGE = 1000;
/** About ten years of trading days. */
const MAX_BAR_DAYS = 3660;
const MAX_COVERAGE_DAYS = 800;

const targetArg = 'The storage target to read (default: the control target).';
const decimalText = 'Exact decimal text (never a float), e.g. "10.52".';

function queries({ app }: GraphQLContext, target: string | null | undefined): MarketQueries {
  return new MarketQueries(app.targets.get(target ?? app.targets.control().name));
}

const SecurityRef = builder.objectRef<StoredSecurity>('Security').implement({
  description: 'A security BaoStock lists (table `security`).',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'BaoStock’s code, e.g. `sh.600000`.' }),
    name: t.exposeString('name'),
    type: t.exposeInt('type', {
      description: '1 stock, 2 index, 3 other, 4 convertible bond, 5 ETF.',
    }),
    status: t.exposeInt('status', { description: '1 listed, 0 delisted.' }),
    ipoDate: t.expose('ipoDate', { type: 'Date', nullable: true }),
    outDate: t.expose('outDate', { type: 'Date', nullable: true }),
  }),
});

interface SecurityPage {
  nodes: StoredSecurity[];
  hasNextPage: boolean;
}

const SecurityConnectionRef = builder.objectRef<SecurityPage>('SecurityConnection').implement({
  description: 'A page of securities by code; pass `endCursor` as `after` for the next one.',
  fields: (t) => ({
    nodes: t.field({ type: [SecurityRef], resolve: (p) => p.nodes }),
    hasNextPage: t.exposeBoolean('hasNextPage'),
    endCursor: t.string({ nullable: true, resolve: (p) => p.nodes.at(-1)?.code ?? null }),
  }),
});

const SecurityFilterInput = builder.inputType('SecurityFilter', {
  fields: (t) => ({
    type: t.int({ required: false, description: '1 stock, 2 index, 3 other, 4 bond, 5 ETF.' }),
    status: t.int({ required: false, description: '1 listed, 0 delisted.' }),
    search: t.string({ required: false, description: 'Part of the code or of the name.' }),
  }),
});

const AdjustModeEnum = builder.enumType('AdjustMode', {
  description:
    'NONE: prices as traded. BACKWARD: p × back factor of the day (the factor row in force: the latest dated on or before it; 1 before the first). FORWARD: p × fore factor of the day, BaoStock’s own, where fore = back / latest back, so the latest period is as traded and the first before any row is 1 / latest back. Factors depend only on the day and the stored factor history, never on the range asked, so two ranges fetched apart stitch together.',
  values: ['NONE', 'FORWARD', 'BACKWARD'] as const,
});

const DailyBarRef = builder.objectRef<DailyBar>('DailyBar').implement({
  description: `One security’s daily bar. Prices, amount, turn and pctChg are ${decimalText}`,
  fields: (t) => ({
    code: t.exposeString('code'),
    tradeDate: t.expose('tradeDate', { type: 'Date' }),
    open: t.exposeString('open', { nullable: true }),
    high: t.exposeString('high', { nullable: true }),
    low: t.exposeString('low', { nullable: true }),
    close: t.exposeString('close', { nullable: true }),
    preclose: t.exposeString('preclose', { nullable: true }),
    volume: t.float({
      nullable: true,
      description: 'Shares (a whole number; Float because it passes 2³¹).',
      resolve: (b) => b.volume,
    }),
    amount: t.exposeString('amount', { nullable: true }),
    turn: t.exposeString('turn', { nullable: true, description: 'Turnover rate, percent.' }),
    pctChg: t.exposeString('pctChg', {
      nullable: true,
      description: 'Change against the previous close, percent.',
    }),
    tradeStatus: t.exposeInt('tradeStatus', { description: '1 traded, 0 suspended.' }),
    isSt: t.exposeBoolean('isSt'),
  }),
});

const BarCoverageRef = builder
  .objectRef<BarCoverageDay & { target: string }>('BarCoverage')
  .implement({
    description: 'One trading day on one target: bars stored against stocks listed that day.',
    fields: (t) => ({
      day: t.expose('day', { type: 'Date' }),
      target: t.exposeString('target'),
      expected: t.exposeInt('expected', {
        description:
          'Stocks (type 1) listed that day by the target’s `security` table: IPO on or before it, not delisted by it (suspended ones included: BaoStock gives them a bar).',
      }),
      stored: t.exposeInt('stored', { description: 'Bars stored for that day.' }),
    }),
  });

builder.queryFields((t) => ({
  securities: t.field({
    type: SecurityConnectionRef,
    description: `Securities by code, filtered; at most ${MAX_SECURITIES_PAGE} per page.`,
    args: {
      filter: t.arg({ type: SecurityFilterInput, required: false }),
      first: t.arg.int({ defaultValue: 100 }),
      after: t.arg.string({ required: false, description: 'The previous page’s endCursor.' }),
      target: t.arg.string({ required: false, description: targetArg }),
    },
    resolve: async (_root, { filter, first, after, target }, context) => {
      const n = first ?? 100;
      if (n < 1 || n > MAX_SECURITIES_PAGE)
        throw new ValidationError(`first must be between 1 and ${MAX_SECURITIES_PAGE}, not ${n}`);
      const rows = await queries(context, target).securities({
        type: filter?.type,
        status: filter?.status,
        search: filter?.search,
        after,
        limit: n + 1,
      });
      return { nodes: rows.slice(0, n), hasNextPage: rows.length > n };
    },
  }),
  security: t.field({
    type: SecurityRef,
    nullable: true,
    args: {
      code: t.arg.string({ required: true }),
      target: t.arg.string({ required: false, description: targetArg }),
    },
    resolve: async (_root, { code, target }, context) =>
      (await queries(context, target).security(code)) ?? null,
  }),
  dailyBars: t.field({
    type: [DailyBarRef],
    description: `A security’s daily bars from \`from\` to \`to\` (at most ${MAX_BAR_DAYS} days), oldest first, adjusted as \`adjust\` says from the stored adjustment factors (see AdjustMode for the formula).`,
    args: {
      code: t.arg.string({ required: true }),
      from: t.arg({ type: 'Date', required: true }),
      to: t.arg({ type: 'Date', required: true }),
      adjust: t.arg({ type: AdjustModeEnum, required: false, defaultValue: 'NONE' }),
      target: t.arg.string({ required: false, description: targetArg }),
    },
    resolve: async (_root, { code, from, to, adjust, target }, context) => {
      if (from > to) throw new ValidationError(`from (${from}) is after to (${to})`);
      if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > MAX_BAR_DAYS)
        throw new ValidationError(`at most ${MAX_BAR_DAYS} days per query`);
      const q = queries(context, target);
      const bars = await q.dailyBars(code, from, to);
      const mode: AdjustMode = adjust ?? 'NONE';
      if (mode === 'NONE' || bars.length === 0) return bars;
      // FORWARD is anchored at the latest factor stored, whatever range is asked.
      return adjustDailyBars(bars, await q.adjustFactors(code, '9999-12-31'), mode);
    },
  }),
  barCoverage: t.field({
    type: [BarCoverageRef],
    description: `Per trading day of the stored calendar from \`from\` to \`to\` (at most ${MAX_COVERAGE_DAYS}) and per target (or only \`target\`): stocks listed against bars stored — what the coverage heat map draws.`,
    args: {
      from: t.arg({ type: 'Date', required: true }),
      to: t.arg({ type: 'Date', required: true }),
      target: t.arg.string({ required: false, description: 'One target (default: every one).' }),
    },
    resolve: async (_root, { from, to, target }, context) => {
      if (from > to) throw new ValidationError(`from (${from}) is after to (${to})`);
      const days = await context.app.tradingDays.tradingDaysBetween(from, to);
      if (days.length > MAX_COVERAGE_DAYS)
        throw new ValidationError(`${days.length} trading days: at most ${MAX_COVERAGE_DAYS}`);
      const names = target ? [context.app.targets.get(target).name] : context.app.targets.names();
      const perTarget = await Promise.all(
        names.map(async (name) =>
          (await queries(context, name).barCoverage(days)).map((d) => ({ ...d, target: name })),
        ),
      );
      return perTarget
        .flat()
        .sort((a, b) => a.day.localeCompare(b.day) || a.target.localeCompare(b.target));
    },
  }),
}));
