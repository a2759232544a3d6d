import { readFileSync } from 'node:fs';

/**
 * CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. Benchmarks that
 * run several processes at once on a small machine use it to say where the cores went.
 */
export function processCpuSeconds(pid: number | 'self'): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; fields after it start past its closing paren.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name; in clock ticks,
  // which Linux reports at 100 per second (USER_HZ) on every architecture it runs on.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
