import type { Logger } from 'pino';
import { errorMessage } from '../errors.js';
import type { Executor } from '../jobs/executor.js';
import type { Job } from '../jobs/job.js';
import { TradeDayQueries } from '../storage/trade-day-queries.js';
import type { StorageTargets } from '../storage/targets.js';

/**
 * On a fresh machine the calendar is empty, and a server that answers "no trading days" until
 * 09:00 tomorrow would be useless: when a reachable target's `trade_day` table is empty, run the
 * trade-day job once from the offline calendar (no network), as a visible STARTUP job.
 */
export async function fillEmptyCalendar(deps: {
  targets: StorageTargets;
  executor: Executor;
  logger: Logger;
}): Promise<Job | null> {
  const empty: string[] = [];
  for (const target of deps.targets.list()) {
    try {
      if ((await new TradeDayQueries(target).count()) === 0) empty.push(target.name);
    } catch (error) {
      deps.logger.warn(
        { target: target.name, error: errorMessage(error) },
        'cannot tell whether the trading calendar is empty; not filling it at start-up',
      );
    }
  }
  if (empty.length === 0) return null;
  const result = await deps.executor.submit(
    {
      steps: [
        {
          name: 'producer_0',
          componentClassName: 'BaoStockTradeDayProducer',
          preComponentName: '',
          componentArguments: { source: 'offline' },
        },
        {
          name: 'processor_0',
          componentClassName: 'BaoStockTradeDayProcessor',
          preComponentName: 'producer_0',
          componentArguments: {},
        },
        {
          name: 'storager_0',
          componentClassName: 'BaoStockTradeDayStorager',
          preComponentName: 'processor_0',
          componentArguments: { targets: empty },
        },
      ],
    },
    { origin: { type: 'STARTUP', name: 'fill empty trading calendar' } },
  );
  if (!result.ok)
    throw new Error(`the start-up calendar job is invalid: ${JSON.stringify(result.problems)}`);
  deps.logger.info(
    { jobId: result.job.id, targets: empty },
    'trading calendar empty: filling it from the offline calendar',
  );
  return result.job;
}
