import type { Logger } from 'pino';
import type { ComponentRegistry } from '../components/registry.js';
import type { AppEvents, ClusterControlMessage } from '../events/app-events.js';
import type { EventBus } from '../events/event-bus.js';
import type { Scheduler } from '../schedule/scheduler.js';

export interface ClusterControlDeps {
  bus: EventBus<AppEvents>;
  registry: Pick<ComponentRegistry, 'reload'>;
  scheduler: Pick<Scheduler, 'reload' | 'refreshPaused'>;
  logger: Logger;
}

/**
 * Does here what another process asked of every process (a reload, a pause). Each action reads
 * the folder or the store again rather than trusting the message's content, so a message is
 * only ever a nudge: after a Redis reconnect (when some may have been lost) the paused states
 * are read again, and a due firing reads its schedule's state anyway (Scheduler `sharedPause`).
 */
export function listenForClusterControl(deps: ClusterControlDeps): () => void {
  const { bus, logger } = deps;
  const act = async (control: ClusterControlMessage): Promise<void> => {
    switch (control.action) {
      case 'reloadComponents':
        await deps.registry.reload();
        return;
      case 'reloadSchedules':
        await deps.scheduler.reload();
        return;
      case 'schedulePaused':
        await deps.scheduler.refreshPaused();
        return;
    }
  };
  const run = (control: ClusterControlMessage) =>
    act(control).then(
      () => logger.info({ control }, 'cluster: done as another process asked'),
      (error: unknown) =>
        logger.error({ err: error, control }, 'cluster: what another process asked failed here'),
    );
  const offs = [
    bus.on('clusterControl', (control) => void run(control)),
    bus.on('liveResync', () => void run({ action: 'schedulePaused', schedule: '*' })),
  ];
  return () => offs.forEach((off) => off());
}
