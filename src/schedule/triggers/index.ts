export type { Trigger, TriggerDeps, TriggerType } from './trigger.js';
export { parseTrigger } from './parse-trigger.js';
export { upcomingFireTimes, MAX_UPCOMING } from './upcoming-fire-times.js';
export { TRADING_DAY_SEARCH_DAYS } from './trading-day-trigger.js';
