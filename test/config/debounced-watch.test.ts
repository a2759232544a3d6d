import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { watchDebounced } from '../../src/config/debounced-watch.js';

const dir = mkdtempSync(join(tmpdir(), 'fda-watch-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('watching a file with a debounce', () => {
  it('calls once per burst of writes to the file, through editor-style saves, and not for its neighbours', async () => {
    const file = join(dir, 'watched.json');
    writeFileSync(file, '1');
    let calls = 0;
    const watch = watchDebounced(file, 'file', () => calls++, { settleMs: 30 });
    try {
      writeFileSync(join(dir, 'neighbour.json'), 'x');
      await settle(300);
      assert.equal(calls, 0, 'a change to another file in the folder');

      for (let i = 0; i < 5; i++) writeFileSync(file, String(i));
      await settle(300);
      assert.equal(calls, 1, 'five writes in a burst');

      // Write a new file and rename it over the old one, as editors save.
      writeFileSync(join(dir, 'watched.json.tmp'), '2');
      renameSync(join(dir, 'watched.json.tmp'), file);
      await settle(300);
      assert.equal(calls, 2, 'the first save by rename');
      writeFileSync(join(dir, 'watched.json.tmp'), '3');
      renameSync(join(dir, 'watched.json.tmp'), file);
      await settle(300);
      assert.equal(calls, 3, 'a second save by rename is still seen');
    } finally {
      watch.close();
    }
    writeFileSync(file, '4');
    await settle(300);
    assert.equal(calls, 3, 'nothing after close');
  });

  it('throws for a folder that does not exist, so the caller can say what to do instead', () => {
    assert.throws(() => watchDebounced(join(dir, 'nope', 'x.json'), 'file', () => {}), /ENOENT/);
  });
});
