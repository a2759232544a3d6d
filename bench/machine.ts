import { readFileSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';

function packageVersion(name: string): string {
  try {
    const file = new URL(`../node_modules/${name}/package.json`, import.meta.url);
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The machine and software a run measured, as Markdown. */
export function machineMarkdown(): string {
  const cpu = cpus();
  return [
    '## Machine',
    '',
    `- Date: ${new Date().toISOString()}`,
    `- CPU: ${cpu[0]?.model.trim() ?? 'unknown'}, ${cpu.length} cores`,
    `- RAM: ${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `- OS: ${platform()} ${release()}`,
    `- Node.js ${process.version}; mysql2 ${packageVersion('mysql2')}, drizzle-orm ${packageVersion('drizzle-orm')}, better-sqlite3 ${packageVersion('better-sqlite3')}`,
  ].join('\n');
}
