/** The storage write API for storagers: batched multi-target upserts. */
export { failedTargetsError } from './failed-targets.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../retry-policy.js';
export { tradeDayTable, type TradeDayRow } from './trade-day-table.js';
export {
  adjustFactorTable,
  dailyBarTable,
  securityTable,
  type AdjustFactorRow,
  type DailyBarRow,
  type SecurityRow,
} from './market-tables.js';
export { isTransient } from './transient-errors.js';
export { upsertBatches, type BatchCommitted, type UpsertBatchesOptions } from './upsert-batches.js';
export { upsertRows, type TargetWriteResult, type UpsertOptions } from './upsert-rows.js';
export {
  defineUpsertTable,
  type UpsertColumn,
  type UpsertTable,
  type UpsertTableDefinition,
} from './upsert-table.js';
export { StatementTimeoutError } from './write-errors.js';
