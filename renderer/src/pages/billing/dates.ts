/**
 * Calendar days as the contract carries them (`YYYY-MM-DD`), for the billing screens. "Today" is the
 * day on the clock of the person at the keyboard: a run or a payment dated by them is for that day.
 */
function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function todayIso(now: Date = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The first day of the month `date` is in, `monthsBack` months earlier. */
export function firstOfMonth(date: string, monthsBack = 0): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) - monthsBack;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}-01`;
}

/** The last day of the month `date` is in. */
export function lastOfMonth(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${y}-${pad(m)}-${pad(days)}`;
}

/** The last whole month before `today`: what a statement covers unless staff choose otherwise. */
export function lastFullMonth(today: string): { from: string; to: string } {
  const from = firstOfMonth(today, 1);
  return { from, to: lastOfMonth(from) };
}

const MONTH = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "November 2026". */
export function formatMonth(date: string): string {
  return MONTH.format(new Date(`${date.slice(0, 7)}-01T00:00:00Z`));
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(text: string | null | undefined): text is string {
  return !!text && ISO_DATE.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));
}

const LONG = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** A calendar day for the screen, never shifted by the time zone (it has no time). */
export function formatDay(date: string | null | undefined): string {
  if (!date) return '';
  return isIsoDate(date) ? LONG.format(new Date(`${date}T00:00:00Z`)) : date;
}
