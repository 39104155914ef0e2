/**
 * Metric alarm evaluation as a pure function: spec §1.4 ("Missing data: the evaluation
 * algorithm"), decisions §9 #1–#3. Reproduces AWS's two documented tables row by row.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-evaluating-missing-data
 */

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
export type TreatMissingData = 'missing' | 'ignore' | 'breaching' | 'notBreaching';
export const TREATMENTS: readonly TreatMissingData[] = ['missing', 'ignore', 'breaching', 'notBreaching'];

export const COMPARISON_OPERATORS = [
  'GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold',
  'LessThanLowerOrGreaterThanUpperThreshold', 'LessThanLowerThreshold', 'GreaterThanUpperThreshold',
] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

/** Whether a value breaches a static threshold (§1.2). */
export function breaches(op: ComparisonOperator, value: number, threshold: number): boolean {
  switch (op) {
    case 'GreaterThanThreshold': return value > threshold;
    case 'GreaterThanOrEqualToThreshold': return value >= threshold;
    case 'LessThanThreshold': return value < threshold;
    case 'LessThanOrEqualToThreshold': return value <= threshold;
    default: return false; // band operators compare with a band: breachesBand (alarms.anomaly.ts)
  }
}

/** A datapoint of the evaluation range: breaching, not breaching, or missing (null). */
export type Point = boolean | null;

export interface EvalInput {
  /** The evaluation range, oldest first (default length N + 2, §9 #1). */
  points: readonly Point[];
  /** EvaluationPeriods. */
  n: number;
  /** DatapointsToAlarm. */
  m: number;
  treat: TreatMissingData;
  current: AlarmStateValue;
}

/** How the state was decided, for the reason text. */
export type EvalRule =
  | 'enough-data'   // step 1: the N most recent real points decided
  | 'no-data'       // step 2: nothing in the range
  | 'filled'        // step 3: real points plus N − real fillers
  | 'premature'     // step 3, missing: premature-alarm rule fired
  | 'not-yet';      // step 3, missing/ignore: every real point breaches but fewer than M

export interface EvalOutcome {
  state: AlarmStateValue;
  rule: EvalRule;
  /** Indexes into `points` of the real points that took part, newest first. */
  used: number[];
  /** Missing points filled in (step 3) or counted (step 2). */
  fillers: number;
  breachingUsed: number;
}

/** One evaluation (§1.4). */
export function evaluatePoints(x: EvalInput): EvalOutcome {
  const { points, n, m, treat, current } = x;
  const real: number[] = [];
  for (let i = points.length - 1; i >= 0; i--) if (points[i] !== null) real.push(i);
  // 1. Enough real data: the N most recent real points, gaps skipped; the treatment is irrelevant.
  if (real.length >= n) {
    const used = real.slice(0, n);
    const b = used.filter((i) => points[i] === true).length;
    return { state: b >= m ? 'ALARM' : 'OK', rule: 'enough-data', used, fillers: 0, breachingUsed: b };
  }
  // 2. No data at all in the range.
  if (real.length === 0) {
    const state: AlarmStateValue =
      treat === 'missing' ? 'INSUFFICIENT_DATA' : treat === 'ignore' ? current : treat === 'breaching' ? 'ALARM' : 'OK';
    return { state, rule: 'no-data', used: [], fillers: n, breachingUsed: 0 };
  }
  // 3. Some but fewer than N real points: all of them, plus N − real fillers.
  const fillers = n - real.length;
  const b = real.filter((i) => points[i] === true).length;
  const base = { used: real, fillers, breachingUsed: b };
  if (treat === 'breaching') return { ...base, state: b + fillers >= m ? 'ALARM' : 'OK', rule: 'filled' };
  if (treat === 'notBreaching') return { ...base, state: b >= m ? 'ALARM' : 'OK', rule: 'filled' };
  if (b >= m) return { ...base, state: 'ALARM', rule: 'filled' };
  if (b < real.length) return { ...base, state: 'OK', rule: 'filled' };
  if (treat === 'ignore') return { ...base, state: current, rule: 'not-yet' };
  // missing: the premature-alarm rule. Within the last N periods, the oldest breaching point must be
  // at least M periods old (age 1 = newest) and every newer point breaching or missing.
  const len = points.length;
  let oldestAge = 0;
  let newerOk = true;
  for (let age = Math.min(n, len); age >= 1; age--) {
    const p = points[len - age];
    if (p === true && oldestAge === 0) oldestAge = age;
    else if (p === false && oldestAge !== 0) newerOk = false;
  }
  if (oldestAge >= m && newerOk) return { ...base, state: 'ALARM', rule: 'premature' };
  return { ...base, state: current, rule: 'not-yet' }; // §9 #3: keep the current state
}

/** Parses a table row such as `0 - X - X` (oldest first) into points. */
export function parseRow(row: string): Point[] {
  return row.trim().split(/\s+/).map((c) => (c === 'X' ? true : c === '0' ? false : null));
}
