/**
 * Business-day arithmetic for the legal clocks (counter-notices: restore no sooner than 10 and no later than
 * 14 business days after receipt, 17 U.S.C. § 512(g)(2)(C)). Pure: no clock, no database. Days are counted in
 * UTC; Saturdays, Sundays and any listed holiday (YYYY-MM-DD) are skipped.
 */

const DAY_MS = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export function isBusinessDay(d: Date, holidays: ReadonlySet<string> = new Set()): boolean {
  const wd = d.getUTCDay();
  return wd !== 0 && wd !== 6 && !holidays.has(isoDay(d));
}

/**
 * The instant `n` business days after `from`, at the same time of day. Starting on a weekend counts from
 * the next business day's start, so a notice received on Saturday runs as if received Monday 00:00.
 */
export function addBusinessDays(from: Date, n: number, holidays: ReadonlySet<string> = new Set()): Date {
  if (!Number.isInteger(n) || n < 0) throw new RangeError("n must be a non-negative integer");
  let at = new Date(from.getTime());
  if (!isBusinessDay(at, holidays)) {
    do at = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()) + DAY_MS);
    while (!isBusinessDay(at, holidays));
  }
  let left = n;
  while (left > 0) {
    at = new Date(at.getTime() + DAY_MS);
    if (isBusinessDay(at, holidays)) left--;
  }
  return at;
}

/** Whole business days from `from` to `to` (0 when `to` is not later). */
export function businessDaysBetween(from: Date, to: Date, holidays: ReadonlySet<string> = new Set()): number {
  let count = 0;
  let at = new Date(from.getTime());
  while (true) {
    at = new Date(at.getTime() + DAY_MS);
    if (at.getTime() > to.getTime()) return count;
    if (isBusinessDay(at, holidays)) count++;
  }
}

/** The counter-notice restoration window: earliest 10, latest 14 business days after receipt. */
export const COUNTER_NOTICE_MIN_DAYS = 10;
export const COUNTER_NOTICE_MAX_DAYS = 14;

export function counterNoticeWindow(receivedAt: Date, holidays?: ReadonlySet<string>): { earliest: Date; latest: Date } {
  return {
    earliest: addBusinessDays(receivedAt, COUNTER_NOTICE_MIN_DAYS, holidays),
    latest: addBusinessDays(receivedAt, COUNTER_NOTICE_MAX_DAYS, holidays),
  };
}

/** A takedown notice should be acted on within this many business days. */
export const TAKEDOWN_ACTION_DAYS = 1;
