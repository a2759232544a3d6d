/**
 * Shared between test components and the tests that run them (the components import this file
 * from outside their folder, so it is one instance however often they are reloaded).
 */
export interface Probe {
  running: number;
  maxRunning: number;
  started: string[];
  values: unknown[];
}

const probes = new Map<string, Probe>();

export function probe(name: string): Probe {
  let p = probes.get(name);
  if (!p) {
    p = { running: 0, maxRunning: 0, started: [], values: [] };
    probes.set(name, p);
  }
  return p;
}
