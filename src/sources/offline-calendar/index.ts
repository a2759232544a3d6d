export type { CalendarDay, CalendarRange, OfflineCalendar } from './calendar-types.js';
export { CalendarRangeError } from './errors.js';
export { EXCHANGE_WEEKDAY_CLOSURES } from './exchange-closures.js';
export { createOfflineCalendar } from './offline-calendar.js';
export {
  loadChineseDaysHolidays,
  publicHolidaysFromChineseDaysData,
  type PublicHolidays,
} from './public-holidays.js';
