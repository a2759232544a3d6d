/**
 * How one trading day's daily bars compare with the stocks listed that day, as the Data page's
 * heat map colours it. Kept apart from the page so a node test can pin the boundaries.
 */
export type BarCoverageStatus = 'COMPLETE' | 'PARTIAL' | 'MISSING';

export interface BarCoverageFigures {
  expected: number;
  stored: number;
}

/**
 * No bar at all is MISSING, even on a day nothing was listed; as many bars as listed stocks (or
 * more: an index or fund bar stored beside them) is COMPLETE; anything between is PARTIAL.
 */
export function barCoverageStatus({ expected, stored }: BarCoverageFigures): BarCoverageStatus {
  if (stored === 0) return 'MISSING';
  return stored >= expected ? 'COMPLETE' : 'PARTIAL';
}

/** The hover title's figures, e.g. "partial: 5,480 of 5,500 bars (99.6%)". */
export function barCoverageTitle(figures: BarCoverageFigures): string {
  const { expected, stored } = figures;
  const share = expected > 0 ? ` (${((100 * stored) / expected).toFixed(1)}%)` : '';
  return `${barCoverageStatus(figures).toLowerCase()}: ${stored.toLocaleString('en')} of ${expected.toLocaleString('en')} bars${share}`;
}
