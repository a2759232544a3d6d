/** This process's resident size from the kernel: VmRSS now, VmHWM its high-water mark (no peak between samples missed). */
import { readFileSync } from 'node:fs';

export function residentBytes(field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(
    readFileSync('/proc/self/status', 'utf8'),
  );
  if (!match) throw new Error(`no ${field} in /proc/self/status`);
  return Number(match[1]) * 1024;
}
