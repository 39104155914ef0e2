/**
 * Simulated-time helpers. The engine never reads the wall clock: these convert between ISO-8601
 * strings and epoch milliseconds with pure arithmetic (Howard Hinnant's civil-date algorithms).
 */

const MS_PER_DAY = 86_400_000;

function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z0: number): [number, number, number] {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [m <= 2 ? y + 1 : y, m, d];
}

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Parses an ISO-8601 date or date-time (UTC when no offset is given); NaN when malformed. */
export function parseIso(text: string): number {
  const m = ISO_RE.exec(text.trim());
  if (!m) return Number.NaN;
  const [, ys, mos, ds, hs = '0', mis = '0', ss = '0', frac = '', tz] = m;
  const y = Number(ys), mo = Number(mos), d = Number(ds), h = Number(hs), mi = Number(mis), s = Number(ss);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return Number.NaN;
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  let offset = 0;
  if (tz && tz !== 'Z') {
    const sign = tz[0] === '-' ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  const days = daysFromCivil(y, mo, d);
  const [cy, cm, cd] = civilFromDays(days);
  if (cy !== y || cm !== mo || cd !== d) return Number.NaN; // e.g. 2026-02-30
  return days * MS_PER_DAY + ((h * 60 + mi) * 60 + s) * 1000 + ms - offset;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

// Caches of toIso's pieces (pure functions of their keys, so deterministic): `YYYY-MM-DDT` by day,
// `HH:mm:` by minute of the day, `ss.sssZ` by millisecond of the minute.
const DAY_TEXT = new Map<number, string>();
const MINUTE_TEXT: string[] = [];
const SECOND_TEXT: string[] = [];

/** Formats epoch milliseconds as `YYYY-MM-DDTHH:mm:ss.sssZ` (like Date#toISOString). */
export function toIso(ms: number): string {
  const days = Math.floor(ms / MS_PER_DAY);
  const rest = ms - days * MS_PER_DAY;
  if (!Number.isInteger(rest)) return isoOf(days, rest); // fractional milliseconds: no cache
  let dt = DAY_TEXT.get(days);
  if (dt === undefined) {
    if (DAY_TEXT.size >= 4096) DAY_TEXT.clear();
    const [y, m, d] = civilFromDays(days);
    DAY_TEXT.set(days, (dt = `${pad(y, 4)}-${pad(m)}-${pad(d)}T`));
  }
  const mi = Math.floor(rest / 60_000), within = rest - mi * 60_000;
  const mt = MINUTE_TEXT[mi] ??= `${pad(Math.floor(mi / 60))}:${pad(mi % 60)}:`;
  const st = SECOND_TEXT[within] ??= `${pad(Math.floor(within / 1000))}.${pad(within % 1000, 3)}Z`;
  return dt + mt + st;
}

function isoOf(days: number, rest: number): string {
  const [y, m, d] = civilFromDays(days);
  const h = Math.floor(rest / 3_600_000); rest -= h * 3_600_000;
  const mi = Math.floor(rest / 60_000); rest -= mi * 60_000;
  const s = Math.floor(rest / 1000);
  const milli = rest - s * 1000;
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}.${pad(milli, 3)}Z`;
}

/** ISO without milliseconds (`2026-03-01T00:00:00Z`), the form CloudTrail records use. */
export function toIsoSeconds(ms: number): string {
  return `${toIso(ms).slice(0, 19)}Z`;
}

/** UTC calendar parts of an epoch-ms instant. */
export function utcParts(ms: number): { year: number; month: number; day: number; hour: number; minute: number } {
  const days = Math.floor(ms / MS_PER_DAY);
  const [year, month, day] = civilFromDays(days);
  const rest = ms - days * MS_PER_DAY;
  return { year, month, day, hour: Math.floor(rest / 3_600_000), minute: Math.floor((rest % 3_600_000) / 60_000) };
}

export type TimeInput = string | number | { getTime(): number };

/** Accepts an ISO string, epoch milliseconds, or a Date-like object; NaN when unusable. */
export function toMillis(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value === 'string') return parseIso(value);
  if (value && typeof value === 'object' && typeof (value as { getTime?: unknown }).getTime === 'function') {
    const t = (value as { getTime(): number }).getTime();
    return Number.isFinite(t) ? t : Number.NaN;
  }
  return Number.NaN;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The Java-style date some services write inside CloudTrail records (IAM `createDate`, STS
 * credential `expiration`): `Mar 24, 2026, 9:11:59 PM` (UTC).
 */
export function toRecordDate(ms: number): string {
  const iso = toIso(ms);
  const { year, month, day, hour, minute } = utcParts(ms);
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  return `${MONTHS[month - 1]} ${day}, ${year}, ${h12}:${pad(minute)}:${iso.slice(17, 19)} ${hour < 12 ? 'AM' : 'PM'}`;
}
