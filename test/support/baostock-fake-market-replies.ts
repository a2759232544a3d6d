/**
 * The fake BaoStock server's answers to the market queries (§9), paged by the per-page value the
 * client sends (or the fake's cap), from a FakeMarket's rows.
 */
import type { FakeMarket } from './baostock-fake-market.js';

export interface MarketReply {
  type: string;
  fields: string[];
}

interface MarketQuery {
  type: string;
  fields: string[];
}

interface Shape {
  replyType: string;
  /** Arguments after method, user, page and per-page. */
  args: number;
  rows(market: FakeMarket, args: string[]): string[][];
  /** The column list sent last; k-line replies echo the asked fields instead. */
  columns?: string;
}

const SHAPES: Record<string, Shape> = {
  '35': {
    replyType: '36',
    args: 1,
    rows: (m, [day = '']) => m.allStock(day),
    columns: 'code,tradeStatus,code_name',
  },
  '45': {
    replyType: '46',
    args: 2,
    rows: (m, [code = '']) => m.stockBasic(code),
    columns: 'code, code_name, ipoDate, outDate, type, status',
  },
  '95': {
    replyType: '96',
    args: 6,
    rows: (m, [code = '', fields = '', from = '', to = '']) =>
      m.dailyBars(code, fields.split(','), from, to),
  },
  '15': {
    replyType: '16',
    args: 3,
    rows: (m, [code = '', from = '', to = '']) => m.adjustFactors(code, from, to),
    columns: 'code,dividOperateDate,foreAdjustFactor,backAdjustFactor,adjustFactor',
  },
};

export const MARKET_REQUEST_TYPES: ReadonlySet<string> = new Set(Object.keys(SHAPES));

export interface MarketReplyOptions {
  market: FakeMarket;
  successMessage: string;
  maxRowsPerPage?: number;
  /** Serve the page with no rows whatever the data (a fault). */
  emptyPage?: boolean;
}

export function marketReply(request: MarketQuery, options: MarketReplyOptions): MarketReply {
  const shape = SHAPES[request.type]!;
  const f = request.fields;
  if (f.length !== 4 + shape.args) return error('10004006', '参数个数错误');
  const [method = '', user = '', pageText = '', perPageText = '', ...args] = f;
  const page = Number(pageText);
  const asked = Number(perPageText);
  if (!Number.isInteger(page) || page < 1 || !Number.isInteger(asked) || asked < 1)
    return error('10004006', '参数错误');
  const perPage = Math.min(asked, options.maxRowsPerPage ?? asked);
  const record = options.emptyPage
    ? []
    : shape.rows(options.market, args).slice((page - 1) * perPage, page * perPage);
  const perPageEcho = perPage === asked ? perPageText : String(perPage);
  return {
    type: shape.replyType,
    fields: [
      '0',
      options.successMessage,
      method,
      user,
      pageText,
      perPageEcho,
      JSON.stringify({ record }),
      ...args,
      ...(shape.columns === undefined ? [] : [shape.columns]),
    ],
  };
}

function error(code: string, message: string): MarketReply {
  return { type: '04', fields: [code, message] };
}
