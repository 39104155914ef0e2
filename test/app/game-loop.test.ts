import { expect, test } from 'vitest';
import { MAX_FRAME_MS, simStepMs } from '../../src/app/game-loop.ts';

test('simulated ms per frame: real time times speed, real time capped per frame', () => {
  const table: [number, 0 | 1 | 60 | 3600, number][] = [
    [16, 0, 0], [16, 1, 16], [16, 60, 960], [16, 3600, 57_600],
    [MAX_FRAME_MS, 3600, 360_000], [5_000, 3600, 360_000], [5_000, 1, MAX_FRAME_MS],
    [0, 3600, 0], [-5, 60, 0], [Number.NaN, 60, 0], [16.6, 60, 996],
  ];
  for (const [dt, speed, want] of table) expect([dt, speed, simStepMs(dt, speed)]).toEqual([dt, speed, want]);
});
