import { useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from './client';
import { JOB_LOGS } from './queries';
import type { LogLine } from './types';

/** Most lines kept in the page; older ones are dropped (the CLI and API still have them). */
const MAX_LINES = 20_000;

/**
 * A job's log lines, live. The cursor is the last seq received: after a reconnect the stream
 * is taken up again from it (`after: cursor`), so no line is shown twice or lost.
 */
export function useLiveLogs(api: Api, id: string): { lines: LogLine[]; ended: boolean } {
  const [lines, setLines] = useState<LogLine[]>([]);
  const [ended, setEnded] = useState(false);
  const cursor = useRef(0);
  useEffect(() => {
    cursor.current = 0;
    setLines([]);
    setEnded(false);
    return api.subscribe<{ jobLogs: { cursor: number; lines: LogLine[] } }>(
      JOB_LOGS,
      () => ({ id, after: cursor.current }),
      {
        next: ({ jobLogs }) => {
          const fresh = jobLogs.lines.filter((l) => l.seq > cursor.current);
          if (fresh.length === 0) return;
          cursor.current = fresh.at(-1)!.seq;
          setLines((current) => {
            const next = current.concat(fresh);
            return next.length > MAX_LINES ? next.slice(next.length - MAX_LINES) : next;
          });
        },
        complete: () => setEnded(true),
      },
    );
  }, [api, id]);
  return { lines, ended };
}
