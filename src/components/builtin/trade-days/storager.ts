import { z } from 'zod';
import { ValidationError } from '../../../errors.js';
import { failedTargetsError, tradeDayTable, upsertRows } from '../../../storage/upsert/index.js';
import { defineComponent } from '../../component.js';
import type { TradeDayRow } from './raw-trade-day.js';

export const storagerArguments = z.strictObject({
  /** Names of the storage targets to write (all configured targets by default). */
  targets: z.array(z.string().min(1)).min(1).optional(),
});

/**
 * Upserts trade days into every named target at once, each in its own transaction, in a few
 * multi-row statements. A failed target does not stop the others; the job then fails naming it.
 */
export const baoStockTradeDayStorager = defineComponent({
  name: 'BaoStockTradeDayStorager',
  kind: 'STORAGER',
  description:
    'Upserts trade days into the named storage targets (all by default), all at once, each in its own transaction, ' +
    'in multi-row statements sized to the server; reports inserted / updated / unchanged rows per target. ' +
    'A failed target does not stop the others, and fails the job naming it.',
  argumentsSchema: storagerArguments,
  async run(
    input: TradeDayRow[],
    { args, services, signal, logger, reportProgress, setResult },
  ): Promise<TradeDayRow[]> {
    const known = services.targets.names();
    const unknown = (args.targets ?? []).filter((name) => !known.includes(name));
    if (unknown.length > 0) {
      const message = `unknown storage target(s) ${unknown.map((n) => `"${n}"`).join(', ')}; configured: ${known.join(', ')}`;
      throw new ValidationError(`targets: ${message}`, [{ path: 'targets', message }]);
    }
    const targets = (args.targets ?? known).map((name) => services.targets.get(name));
    for (const target of targets)
      reportProgress({ done: 0, total: input.length, label: target.name });
    const results = await upsertRows(targets, tradeDayTable, input, {
      signal,
      logger,
      onProgress: (target, done, total) => reportProgress({ done, total, label: target }),
    });
    setResult({ targets: results });
    for (const r of results) {
      const counts = `${r.inserted} inserted, ${r.updated} updated, ${r.unchanged} unchanged in ${Math.round(r.durationMs)} ms (${r.statements} statements)`;
      if (r.ok) logger.info(`target "${r.target}": ${counts}`);
      else logger.error(`target "${r.target}" failed after ${r.attempts} attempt(s): ${r.error}`);
    }
    const failure = failedTargetsError(results);
    if (failure) throw failure;
    return input;
  },
});
