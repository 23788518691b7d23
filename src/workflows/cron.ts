// Calendar schedules for managed credentials: a five-field cron expression (minute hour day-of-month month
// day-of-week, UTC), e.g. `0 3 1 * *` (03:00 on the 1st of each month). Pure (the workflow computes its next
// due time with it, so it must be deterministic): `*`, numbers, lists `1,15`, ranges `1-5`, steps `*/15` and
// `1-30/2`; day-of-week 0-7 (0 and 7 are Sunday). As cron does, when both day fields are restricted a day
// matching either one matches.

export interface CronSpec {
  text: string;
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  daysRestricted: boolean;
  weekdaysRestricted: boolean;
}

const FIELDS: Array<{ name: string; min: number; max: number }> = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
];

/** Parses a cron expression, or returns why it is not one. */
export function parseCron(text: string): CronSpec | { error: string } {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 5) {
    return {
      error: `"${text}" has ${parts.length} fields; a cron expression has 5: minute hour day-of-month month day-of-week`,
    };
  }
  const sets: Array<Set<number>> = [];
  for (const [i, part] of parts.entries()) {
    const field = FIELDS[i];
    const set = new Set<number>();
    for (const item of part.split(',')) {
      const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
      if (!m) return { error: `${field.name} "${item}" is not a number, range, list or step` };
      const from = m[1] === '*' ? field.min : Number(m[2]);
      const to = m[1] === '*' ? field.max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? field.max : from;
      const step = m[4] !== undefined ? Number(m[4]) : 1;
      if (from < field.min || to > field.max || from > to || step < 1) {
        return { error: `${field.name} "${item}" is outside ${field.min}-${field.max}` };
      }
      for (let v = from; v <= to; v += step) set.add(i === 4 && v === 7 ? 0 : v);
    }
    sets.push(set);
  }
  return {
    text,
    minutes: sets[0],
    hours: sets[1],
    days: sets[2],
    months: sets[3],
    weekdays: sets[4],
    daysRestricted: parts[2] !== '*',
    weekdaysRestricted: parts[4] !== '*',
  };
}

const MINUTE = 60_000;
/** How far ahead a match is looked for (`0 0 29 2 1` can be years away). */
const HORIZON_MS = 8 * 366 * 24 * 60 * MINUTE;

/** The first matching minute strictly after `afterMs` (UTC), or undefined within eight years. */
export function nextCronTime(spec: CronSpec, afterMs: number): number | undefined {
  let t = Math.floor(afterMs / MINUTE) * MINUTE + MINUTE;
  const limit = afterMs + HORIZON_MS;
  while (t <= limit) {
    const d = new Date(t);
    if (!spec.months.has(d.getUTCMonth() + 1)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      continue;
    }
    if (!dayMatches(spec, d)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
      continue;
    }
    if (!spec.hours.has(d.getUTCHours())) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
      continue;
    }
    if (!spec.minutes.has(d.getUTCMinutes())) {
      t += MINUTE;
      continue;
    }
    return t;
  }
  return undefined;
}

function dayMatches(spec: CronSpec, d: Date): boolean {
  const day = spec.days.has(d.getUTCDate());
  const weekday = spec.weekdays.has(d.getUTCDay());
  if (spec.daysRestricted && spec.weekdaysRestricted) return day || weekday;
  return day && weekday;
}
