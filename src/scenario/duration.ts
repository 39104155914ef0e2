/**
 * Scenario durations such as `+10m`, `-2h`, `1h30m`, `90s`, `+1d`: pure parsing, no `Date`.
 * Offsets are relative to the scenario start (actors, setup) or to a state's entry (`after`).
 */

const DURATION_RE = /^([+-])?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
const UNIT_MS = [86_400_000, 3_600_000, 60_000, 1000] as const;

/** Milliseconds of a duration string, or NaN when it is not one. */
export function parseDuration(text: string): number {
  const m = DURATION_RE.exec(text.trim());
  if (!m || m.slice(2).every((x) => x === undefined)) return Number.NaN;
  let ms = 0;
  for (let i = 0; i < 4; i++) ms += Number(m[i + 2] ?? 0) * UNIT_MS[i]!;
  return m[1] === '-' ? -ms : ms;
}

export const DURATION_PATTERN = DURATION_RE.source;
