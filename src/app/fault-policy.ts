import type { Logger } from 'pino';
import { JobFaultError } from '../jobs/errors.js';
import type { Executor } from '../jobs/executor.js';
import type { JobScopes } from '../logs/job-scope.js';

export type FaultKind = 'unhandledRejection' | 'uncaughtException';

const WHAT: Record<FaultKind, string> = {
  unhandledRejection: 'unhandled promise rejection',
  uncaughtException: 'uncaught exception',
};

export interface FaultPolicyDeps {
  scopes: JobScopes;
  executor: Pick<Executor, 'failFromFault'>;
  logger: Logger;
  /** Ends the process (with the log flushed first). */
  exit(code: number): void;
}

/**
 * What a fault nobody caught means. Node runs these handlers in the async context the fault came
 * from, so a fault of a job's own code (a promise it left without a handler, an exception thrown
 * from its timer) is known to be that job's: the job fails with it, or, when it already ended, the
 * fault is logged naming it; the other jobs and the server go on. A fault outside every job is a
 * bug of the server's own, after which nothing it holds can be trusted: it is logged as fatal and
 * the process exits non-zero. The next start marks the jobs it was running interrupted.
 */
export function handleFault(deps: FaultPolicyDeps, kind: FaultKind, fault: unknown): void {
  const scope = deps.scopes.current();
  deps.scopes.exit(() => {
    if (scope) {
      const step = scope.step;
      const failed = deps.executor.failFromFault(
        scope.jobId,
        new JobFaultError(WHAT[kind], step, fault),
      );
      deps.logger.error(
        { err: fault, jobId: scope.jobId, step: step ?? undefined, jobFailed: failed },
        `${WHAT[kind]} in job ${scope.jobId}${failed ? '; the job fails with it' : ' (after the job ended)'}`,
      );
      return;
    }
    deps.logger.fatal(
      { err: fault },
      `${WHAT[kind]} outside any job: the server cannot trust its own state and exits`,
    );
    deps.exit(1);
  });
}

/** Installs `handleFault` for both kinds of fault on this process. */
export function installFaultPolicy(deps: FaultPolicyDeps): void {
  process.on('unhandledRejection', (fault) => handleFault(deps, 'unhandledRejection', fault));
  process.on('uncaughtException', (fault) => handleFault(deps, 'uncaughtException', fault));
}
