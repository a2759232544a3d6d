/** What a write did to the rows it was given. */
export interface WriteCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export const noCounts = (): WriteCounts => ({ inserted: 0, updated: 0, unchanged: 0 });

export function addCounts(into: WriteCounts, more: WriteCounts): void {
  into.inserted += more.inserted;
  into.updated += more.updated;
  into.unchanged += more.unchanged;
}

const DUPLICATES = /Duplicates:\s*(\d+)/;

/**
 * Counts of one multi-row `INSERT … ON DUPLICATE KEY UPDATE`, from the OK packet of a connection
 * without CLIENT_FOUND_ROWS:
 * - affectedRows = inserted + 2 × updated (an unchanged row counts 0);
 * - info `Records: N  Duplicates: D` where D is the number of rows *updated* (MySQL prints
 *   `deleted + updated`, and updated excludes rows left as they were; MariaDB does the same).
 * So updated = D, inserted = affected − 2D, unchanged = N − inserted − updated.
 * A one-row statement gets no info string; its affectedRows (0, 1, 2) says it all.
 */
export function countsFromOkPacket(rows: number, affectedRows: number, info: string): WriteCounts {
  const match = DUPLICATES.exec(info);
  let counts: WriteCounts;
  if (match) {
    const updated = Number(match[1]);
    const inserted = affectedRows - 2 * updated;
    counts = { inserted, updated, unchanged: rows - inserted - updated };
  } else if (rows === 1 && affectedRows >= 0 && affectedRows <= 2) {
    counts = {
      inserted: affectedRows === 1 ? 1 : 0,
      updated: affectedRows === 2 ? 1 : 0,
      unchanged: affectedRows === 0 ? 1 : 0,
    };
  } else {
    throw new Error(
      `cannot count the upsert of ${rows} rows: the server reported ${affectedRows} affected rows and no duplicate count (info ${JSON.stringify(info)})`,
    );
  }
  if (counts.inserted < 0 || counts.unchanged < 0) {
    throw new Error(
      `inconsistent upsert counts for ${rows} rows: affectedRows ${affectedRows}, info ${JSON.stringify(info)} (is the connection using CLIENT_FOUND_ROWS?)`,
    );
  }
  return counts;
}
