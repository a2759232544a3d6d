import { DateTime } from 'luxon';
import type { CalendarSource } from '../sources/offline-calendar/index.js';
import type { App } from './build-app.js';

/** The offline calendar's part of `/health`: what it covers and from where. No secret, no path. */
export interface CalendarHealth {
  coveredFrom: string;
  coveredTo: string;
  /** Where the last covered year comes from: the chinese-days package or the closures file. */
  source: CalendarSource;
  packageCoveredTo: string;
  /** The December coverage warning, while next year is not covered. */
  warning: string | null;
  /** Null when server.json names no exchange closures file. */
  closuresFile: { loadedAt: string; refusedAt: string | null } | null;
}

export function calendarHealth(
  app: Pick<App, 'calendar' | 'closuresFile' | 'config'>,
): CalendarHealth {
  const { coverage } = app.calendar;
  const today = DateTime.now().setZone(app.config.server.timeZone).toISODate()!;
  const status = app.closuresFile?.status();
  return {
    coveredFrom: coverage.from,
    coveredTo: coverage.to,
    source: coverage.source,
    packageCoveredTo: coverage.packageTo,
    warning: app.calendar.coverageWarning(today),
    closuresFile: status
      ? {
          loadedAt: status.loadedAt.toISOString(),
          refusedAt: status.refused?.at.toISOString() ?? null,
        }
      : null,
  };
}
