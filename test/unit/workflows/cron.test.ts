// The managed credential's calendar schedules (src/workflows/cron.ts): parsing and the next due time, UTC.
import { describe, expect, it } from 'vitest';
import { type CronSpec, nextCronTime, parseCron } from '../../../src/workflows/cron.js';

const spec = (text: string) => parseCron(text) as CronSpec;
const next = (text: string, after: string) => {
  const t = nextCronTime(spec(text), Date.parse(after));
  return t === undefined ? undefined : new Date(t).toISOString();
};

describe('cron schedules', () => {
  it('finds the next matching minute, strictly after the given time', () => {
    expect(next('0 3 1 * *', '2026-11-30T10:00:00Z')).toBe('2026-12-01T03:00:00.000Z');
    expect(next('0 3 1 * *', '2026-12-01T03:00:00Z')).toBe('2027-01-01T03:00:00.000Z');
    expect(next('*/15 * * * *', '2026-11-30T10:07:30Z')).toBe('2026-11-30T10:15:00.000Z');
    expect(next('30 9 * * 1-5', '2026-12-04T10:00:00Z')).toBe('2026-12-07T09:30:00.000Z'); // Friday → Monday
    expect(next('0 0 * * 7', '2026-11-30T10:00:00Z')).toBe('2026-12-06T00:00:00.000Z'); // 7 is Sunday
    expect(next('0 12 29 2 *', '2026-11-30T10:00:00Z')).toBe('2028-02-29T12:00:00.000Z');
  });

  it('a day matching either restricted day field matches, as cron does', () => {
    // The 15th, or any Monday: Monday 7 December comes first.
    expect(next('0 0 15 * 1', '2026-12-01T00:00:00Z')).toBe('2026-12-07T00:00:00.000Z');
  });

  it('refuses what is not a cron expression, saying which field', () => {
    expect(parseCron('0 3 1 *')).toEqual({
      error: '"0 3 1 *" has 4 fields; a cron expression has 5: minute hour day-of-month month day-of-week',
    });
    expect(parseCron('0 24 * * *')).toEqual({ error: 'hour "24" is outside 0-23' });
    expect(parseCron('0 3 L * *')).toEqual({ error: 'day of month "L" is not a number, range, list or step' });
  });

  it('an impossible date has no next time', () => {
    expect(next('0 0 31 2 *', '2026-11-30T10:00:00Z')).toBeUndefined();
  });
});
