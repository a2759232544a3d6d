import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  barCoverageStatus,
  barCoverageTitle,
} from '../../src/dashboard/shared/bar-coverage-status.js';

describe('a trading day’s bar coverage as the heat map colours it', () => {
  it('no bar is MISSING, fewer than listed PARTIAL, as many or more COMPLETE', () => {
    assert.equal(barCoverageStatus({ expected: 5500, stored: 0 }), 'MISSING');
    assert.equal(barCoverageStatus({ expected: 0, stored: 0 }), 'MISSING');
    assert.equal(barCoverageStatus({ expected: 5500, stored: 1 }), 'PARTIAL');
    assert.equal(barCoverageStatus({ expected: 5500, stored: 5499 }), 'PARTIAL');
    assert.equal(barCoverageStatus({ expected: 5500, stored: 5500 }), 'COMPLETE');
    assert.equal(barCoverageStatus({ expected: 5500, stored: 5510 }), 'COMPLETE');
    assert.equal(barCoverageStatus({ expected: 0, stored: 3 }), 'COMPLETE');
  });

  it('titles give both figures and the share', () => {
    assert.equal(
      barCoverageTitle({ expected: 5500, stored: 5480 }),
      'partial: 5,480 of 5,500 bars (99.6%)',
    );
    assert.equal(barCoverageTitle({ expected: 0, stored: 0 }), 'missing: 0 of 0 bars');
  });
});
