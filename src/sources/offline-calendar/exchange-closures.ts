/**
 * Weekdays on which the Shanghai Stock Exchange was closed although they were not public holidays
 * in the State Council's schedule (and so not in chinese-days' holiday data). Checked against the
 * exchange's calendar for every day from 2004-01-01; these are the only differences. No day in that
 * period was a public holiday on which the exchange traded, so there is no opposite list.
 *
 * Sources are the SSE's yearly closure notices (休市安排的通知). Where a title or document number
 * could not be verified, the comment says so rather than guessing one.
 */
export const EXCHANGE_WEEKDAY_CLOSURES: ReadonlyArray<{ date: string; reason: string }> = [
  // 上海证券交易所《关于2004年元旦、春节、"五一"、"十一"休市安排的通知》(December 2003; cited as
  // 上证交字〔2003〕22号 in the SSE's May Day notice of 2004-04-23): "2004年1月19日（星期一）至
  // 1月28日（星期三）休市8天（双休日除外）". The public holiday was 22–28 January.
  {
    date: '2004-01-19',
    reason: 'Spring Festival 2004: SSE closed 19–28 Jan, public holiday from 22 Jan',
  },
  {
    date: '2004-01-20',
    reason: 'Spring Festival 2004: SSE closed 19–28 Jan, public holiday from 22 Jan',
  },
  {
    date: '2004-01-21',
    reason: 'Spring Festival 2004: SSE closed 19–28 Jan, public holiday from 22 Jan',
  },

  // The SSE's notice on its 2005 closures (by the pattern of the 2004 and 2007 notices, titled
  // 《关于2005年元旦、春节、"五一"、"十一"休市安排的通知》, December 2004; exact title and number not
  // verified). The exchange closed 7–15 February; the public holiday was 9–15 February.
  {
    date: '2005-02-07',
    reason: 'Spring Festival 2005: SSE closed 7–15 Feb, public holiday from 9 Feb',
  },
  {
    date: '2005-02-08',
    reason: 'Spring Festival 2005: SSE closed 7–15 Feb, public holiday from 9 Feb',
  },

  // The SSE's notice on its 2006 closures (presumably 《关于2006年元旦、春节、"五一"、"十一"休市安排的
  // 通知》, December 2005; exact title and number not verified). The exchange closed 26 January to
  // 3 February, seven trading days; the public holiday was 29 January to 4 February.
  {
    date: '2006-01-26',
    reason: 'Spring Festival 2006: SSE closed 26 Jan–3 Feb, public holiday from 29 Jan',
  },
  {
    date: '2006-01-27',
    reason: 'Spring Festival 2006: SSE closed 26 Jan–3 Feb, public holiday from 29 Jan',
  },

  // 上海证券交易所《关于2024年部分节假日休市安排的通知》(2023-12-26): "春节：2月9日（星期五）至
  // 2月17日（星期六）休市". The public holiday began on 10 February; 9 February was Lunar New Year's Eve.
  {
    date: '2024-02-09',
    reason: "Lunar New Year's Eve 2024: SSE closed 9–17 Feb, public holiday from 10 Feb",
  },
];
