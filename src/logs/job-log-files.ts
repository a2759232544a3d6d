import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogLine } from '../jobs/job.js';

/**
 * The original system's layout, kept as an option: `<dir>/<job id>/<level>.log`, one line per
 * entry, so existing habits (tail, grep across jobs) keep working.
 */
export class JobLogFiles {
  constructor(private readonly dir: string) {}

  async append(jobId: string, lines: readonly LogLine[]): Promise<void> {
    const byLevel = new Map<string, string[]>();
    for (const line of lines) {
      const text = `${line.time.toISOString()} ${line.level.toUpperCase()} [${line.step ?? '-'}] ${line.message}\n`;
      const list = byLevel.get(line.level);
      if (list) list.push(text);
      else byLevel.set(line.level, [text]);
    }
    const jobDir = join(this.dir, jobId);
    await mkdir(jobDir, { recursive: true });
    for (const [level, texts] of byLevel)
      await appendFile(join(jobDir, `${level}.log`), texts.join(''));
  }
}
