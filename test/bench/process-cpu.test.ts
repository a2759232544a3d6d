import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { processCpuSeconds } from '../../bench/process-cpu.js';

describe('processCpuSeconds (the benchmarks’ CPU accounting)', () => {
  it('reads this process, and grows as it works', () => {
    const before = processCpuSeconds('self');
    assert.ok(Number.isFinite(before) && before >= 0, String(before));
    let x = 0;
    for (let i = 0; i < 50_000_000; i++) x = (x + i) % 1_000_003;
    assert.ok(x >= 0);
    assert.ok(processCpuSeconds('self') >= before);
  });

  it('reads a process whose name holds spaces and a parenthesis', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fda-cpu-'));
    const program = join(dir, 'a b) c');
    copyFileSync('/bin/sleep', program);
    const child = spawn(program, ['30'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      const seconds = processCpuSeconds(child.pid!);
      assert.ok(Number.isFinite(seconds) && seconds >= 0 && seconds < 30, String(seconds));
    } finally {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
