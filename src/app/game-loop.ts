/**
 * The game loop: each animation frame advances the run by the real time elapsed times the
 * speed, with the real time capped so a stalled tab does not jump hours at once.
 */
import type { Speed } from '../ui/ports.ts';

/** Longest real time one frame may count (ms). */
export const MAX_FRAME_MS = 100;

/** Simulated ms to advance for a frame of `dtRealMs` at `speed`. */
export function simStepMs(dtRealMs: number, speed: Speed): number {
  if (!(dtRealMs > 0) || speed === 0) return 0;
  return Math.round(Math.min(dtRealMs, MAX_FRAME_MS) * speed);
}

/** Calls `frame(dtRealMs)` on every animation frame until the returned stop is called. */
export function startLoop(frame: (dtRealMs: number) => void): () => void {
  let last: number | null = null;
  let handle = 0;
  let running = true;
  const tick = (now: number) => {
    if (!running) return;
    const dt = last === null ? 0 : now - last;
    last = now;
    try { frame(dt); } finally { if (running) handle = requestAnimationFrame(tick); }
  };
  handle = requestAnimationFrame(tick);
  return () => { running = false; cancelAnimationFrame(handle); };
}
