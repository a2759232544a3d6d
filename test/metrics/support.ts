import assert from 'node:assert/strict';
import parsePrometheusTextFormat, {
  type PrometheusFamily,
  type PrometheusSample,
} from 'parse-prometheus-text-format';

/**
 * GETs `/metrics` and parses it with a Prometheus text parser (which throws on bad syntax). The
 * parser merges a labelled histogram's series into one, so the text is parsed a second time
 * without the histograms' TYPE lines: their `_count`, `_sum` and `_bucket` series then come out as
 * untyped families of their own, each sample with its labels.
 */
export async function scrape(
  url: string,
  headers: Record<string, string> = {},
): Promise<Map<string, PrometheusFamily>> {
  const response = await fetch(`${url}/metrics`, { headers });
  assert.equal(response.status, 200, await response.clone().text());
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  const families = new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f]));
  const series = parsePrometheusTextFormat(text.replace(/^# TYPE \S+ histogram$/gm, ''));
  // Each label set's series come one after the other, so a name recurs: merge its samples.
  const extra = new Map<string, PrometheusFamily>();
  for (const family of series) {
    if (families.has(family.name)) continue;
    const seen = extra.get(family.name);
    if (seen) seen.metrics.push(...family.metrics);
    else extra.set(family.name, family);
  }
  for (const [name, family] of extra) families.set(name, family);
  return families;
}

/** The sample of a family whose labels include these (undefined when there is none). */
export function sample(
  families: Map<string, PrometheusFamily>,
  name: string,
  labels: Record<string, string> = {},
): PrometheusSample | undefined {
  const family = families.get(name);
  assert.ok(family, `no metric ${name} in: ${[...families.keys()].join(', ')}`);
  return family.metrics.find((m) =>
    Object.entries(labels).every(([key, value]) => m.labels?.[key] === value),
  );
}

/** A counter's or gauge's value (0 when the labelled sample does not exist yet). */
export function valueOf(
  families: Map<string, PrometheusFamily>,
  name: string,
  labels: Record<string, string> = {},
): number {
  return Number(sample(families, name, labels)?.value ?? 0);
}

/** A histogram's observation count (0 when none yet). */
export function countOf(
  families: Map<string, PrometheusFamily>,
  name: string,
  labels: Record<string, string> = {},
): number {
  assert.ok(families.has(name), `no metric ${name}`);
  // A histogram with no observation yet has no series at all.
  if (!families.has(`${name}_count`)) return 0;
  return Number(sample(families, `${name}_count`, labels)?.value ?? 0);
}
