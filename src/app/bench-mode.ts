/**
 * URL flags for measuring: `?bench=frames` opens the hidden benchmark scenario (50 instances,
 * 8 graphs on the canvas, 3600x) straight away; `?engine=main` runs the engine in this thread
 * instead of the Web Worker (to compare).
 */
export const BENCH_SCENARIO_ID = 'bench-50-instances';

export interface BenchFlags { bench: boolean; engine: 'worker' | 'main' }

export function benchFlags(search: string): BenchFlags {
  const q = new URLSearchParams(search);
  return { bench: q.get('bench') === 'frames', engine: q.get('engine') === 'main' ? 'main' : 'worker' };
}

/** Scenarios the title screen does not offer (they open only through their flag). */
export const isHiddenScenario = (id: string): boolean => id.startsWith('bench-');
