import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { triggerInWords } from '../../src/dashboard/shared/trigger-in-words.js';

const SH = 'Asia/Shanghai';
const cron = (args: Record<string, unknown>) =>
  triggerInWords({ type: 'cron', arguments: args }, SH);

describe('a trigger in words', () => {
  it('says when a trading-day trigger fires, and where', () => {
    assert.equal(
      triggerInWords({ type: 'trading_day', arguments: { hour: 18 } }, SH),
      'at 18:00 on trading days, Asia/Shanghai',
    );
    assert.equal(
      triggerInWords(
        { type: 'trading_day', arguments: { hour: 8, minute: 30, second: 15, offset_days: -1 } },
        SH,
      ),
      'at 08:30:15 on the day before each trading day, Asia/Shanghai',
    );
    assert.equal(
      triggerInWords(
        { type: 'trading_day', arguments: { hour: 20, offset_days: 2, timezone: 'UTC' } },
        SH,
      ),
      'at 20:00 on 2 days after each trading day, UTC',
    );
  });

  it('reads the shipped daily cron and common cron shapes', () => {
    assert.equal(
      cron({ second: '0', minute: '0', hour: '9', day: '*', month: '*', day_of_week: '*' }),
      'at 09:00 every day, Asia/Shanghai',
    );
    assert.equal(
      cron({ hour: 18, minute: 5, day_of_week: 'mon-fri' }),
      'at 18:05 on Monday to Friday, Asia/Shanghai',
    );
    assert.equal(
      cron({ hour: '7', day_of_week: 'sat,0' }),
      'at 07:00 on Saturdays and Mondays, Asia/Shanghai',
    );
    assert.equal(
      cron({ hour: '6', day: '1', month: '1,7' }),
      'at 06:00 on day 1 of January, July, Asia/Shanghai',
    );
    assert.equal(
      cron({ hour: '6', day: '15' }),
      'at 06:00 on day 15 of every month, Asia/Shanghai',
    );
    assert.equal(cron({ minute: '30' }), 'every hour at minute 30, Asia/Shanghai');
    assert.equal(cron({ minute: '*/5' }), 'every 5 minutes, Asia/Shanghai');
  });

  it('lists the fields of a cron it cannot put into words, without guessing', () => {
    assert.equal(
      cron({ hour: '9-17/2', minute: '0', day: 'last fri' }),
      'cron day=last fri hour=9-17/2 minute=0, Asia/Shanghai',
    );
    assert.equal(cron({ hour: '9', week: '2' }), 'cron week=2 hour=9, Asia/Shanghai');
  });

  it('reads intervals and dates', () => {
    assert.equal(
      triggerInWords({ type: 'interval', arguments: { hours: 2, minutes: 30 } }, SH),
      'every 2 hours 30 minutes, Asia/Shanghai',
    );
    assert.equal(
      triggerInWords(
        { type: 'interval', arguments: { days: 1, start_date: '2024-01-01 09:00' } },
        'UTC',
      ),
      'every 1 day from 2024-01-01 09:00, UTC',
    );
    assert.equal(
      triggerInWords({ type: 'date', arguments: { run_date: '2024-05-06 09:30' } }, SH),
      'once, at 2024-05-06 09:30, Asia/Shanghai',
    );
    assert.equal(triggerInWords(null, SH), 'an unreadable trigger');
  });
});
