import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const TITLE = '# Benchmark results';

/**
 * Rewrites bench/RESULTS.md: the machine header always, and the sections of the modules that just
 * ran; sections of modules not run this time are kept as they were (each says when it ran).
 */
export function writeResults(
  file: string,
  header: string,
  sections: ReadonlyMap<string, string>,
): void {
  const kept = new Map<string, string>();
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/<!-- bench:([\w-]+) -->\n([\s\S]*?)<!-- \/bench:\1 -->/g))
      kept.set(match[1]!, match[2]!);
  }
  for (const [name, body] of sections) kept.set(name, body.endsWith('\n') ? body : `${body}\n`);
  const parts = [
    TITLE,
    '',
    'Written by `npm run bench` (each run replaces the sections of the modules it ran).',
    '',
    header.trim(),
    '',
  ];
  for (const [name, body] of kept)
    parts.push(`<!-- bench:${name} -->`, body.trimEnd(), `<!-- /bench:${name} -->`, '');
  writeFileSync(file, parts.join('\n'));
}
