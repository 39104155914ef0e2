/**
 * Issue #2's figure: simulated days per wall second of `advance()` for a 50-instance account
 * with 1-minute (detailed monitoring) metrics, next to a minimal hand-written loop doing the same
 * datapoint work (one seeded value per running instance per minute, appended to plain arrays).
 */
import { createEngine } from '../../src/engine/index.ts';
import { hashNoise } from '../../src/engine/kernel/rng.ts';

const DAYS = 7;
const INSTANCES = 50;

function engineRun(): { ms: number; datapoints: number } {
  const e = createEngine({ seed: 2026, startTime: '2026-03-01T00:00:00Z' });
  const r = e.callSync('ec2', 'RunInstances', { ImageId: 'ami-0bench', MinCount: INSTANCES, MaxCount: INSTANCES, InstanceType: 'm5.large', Monitoring: { Enabled: true } });
  if (!r.ok) throw new Error(r.error.message);
  e.advanceSync(60_000);
  const t0 = performance.now();
  for (let d = 0; d < DAYS; d++) e.advanceSync(86_400_000);
  const ms = performance.now() - t0;
  const cw = e.read<Record<string, unknown> | undefined>('cloudwatch');
  return { ms, datapoints: cw ? countDatapoints(cw) : 0 };
}

function countDatapoints(state: Record<string, unknown>): number {
  let n = 0;
  const visit = (v: unknown, depth: number): void => {
    if (depth > 6 || !v || typeof v !== 'object') return;
    if (Array.isArray(v)) { if (v.length > 1000 && typeof v[0] === 'number') n = Math.max(n, 0) + v.length; return; }
    for (const x of Object.values(v)) visit(x, depth + 1);
  };
  visit(state, 0);
  return n;
}

function rawLoop(): { ms: number; datapoints: number } {
  const series: { t: number[]; v: number[]; base: number; key: number }[] = [];
  for (let i = 0; i < INSTANCES; i++) series.push({ t: [], v: [], base: 5 + (i % 35), key: (i * 2654435761) >>> 0 });
  const start = Date.UTC(2026, 2, 1, 0, 1);
  const t0 = performance.now();
  const minutes = DAYS * 1440;
  for (let m = 1; m <= minutes; m++) {
    const t = start + m * 60_000;
    const wave = Math.sin((2 * Math.PI * ((m % 1440) / 1440)));
    for (const s of series) {
      const v = Math.min(100, Math.max(0, s.base + 10 * wave + 8 * (hashNoise(s.key, m) - 0.5)));
      s.t.push(t);
      s.v.push(v);
    }
  }
  const ms = performance.now() - t0;
  return { ms, datapoints: series.reduce((a, s) => a + s.v.length, 0) };
}

export async function benchEngine(): Promise<Record<string, number | string>> {
  engineRun(); rawLoop(); // warm up
  const runs = [engineRun(), engineRun(), engineRun()].sort((a, b) => a.ms - b.ms);
  const raws = [rawLoop(), rawLoop(), rawLoop()].sort((a, b) => a.ms - b.ms);
  const eng = runs[1]!, raw = raws[1]!;
  return {
    'advance: simulated days per wall second (50 instances, 1-min metrics)': +(DAYS / (eng.ms / 1000)).toFixed(1),
    'advance: wall ms for 7 simulated days': +eng.ms.toFixed(1),
    'advance: datapoints stored by the engine in 7 days': eng.datapoints,
    'raw loop: simulated days per wall second': +(DAYS / (raw.ms / 1000)).toFixed(1),
    'raw loop: datapoints': raw.datapoints,
    'ratio engine/raw (wall time)': +(eng.ms / raw.ms).toFixed(2),
  };
}
