/** Names from `known` that look like `wanted` (small edit distance or containment), best first. */
export function closestNames(wanted: string, known: Iterable<string>, max = 3): string[] {
  const target = wanted.toLowerCase();
  return [...known]
    .map((name) => {
      const lower = name.toLowerCase();
      const distance = editDistance(target, lower);
      const contains = lower.includes(target) || target.includes(lower);
      return { name, score: contains ? Math.min(distance, 2) : distance };
    })
    .filter(({ name, score }) => score <= Math.max(2, Math.floor(name.length / 4)))
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, max)
    .map(({ name }) => name);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}
