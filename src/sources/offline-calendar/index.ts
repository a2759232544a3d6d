export type {
  CalendarCoverage,
  CalendarDay,
  CalendarRange,
  CalendarSource,
  KnownDay,
  OfflineCalendar,
} from './calendar-types.js';
export { calendarChanges, type CalendarChanges } from './calendar-changes.js';
export {
  exchangeClosuresSchema,
  type ClosuresYear,
  type ExchangeClosures,
  type ListedDay,
} from './closures-schema.js';
export { CalendarRangeError, ClosuresFileRefusedError } from './errors.js';
export { EXCHANGE_WEEKDAY_CLOSURES } from './exchange-closures.js';
export { LiveOfflineCalendar } from './live-calendar.js';
export { createOfflineCalendar } from './offline-calendar.js';
export {
  loadChineseDaysHolidays,
  publicHolidaysFromChineseDaysData,
  type PublicHolidays,
} from './public-holidays.js';
