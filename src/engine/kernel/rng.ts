/**
 * Seeded randomness with named streams. Each stream's state is four uint32 words kept inside the
 * engine state (so it is saved, restored and hashed); each service draws from its own stream so
 * that randomness added in one service does not shift another (sfc32, seeded via splitmix32).
 */

export type RngState = [number, number, number, number];

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** 32-bit FNV-1a of a string, used to derive stream seeds and stable per-name values. */
export function fnv1a(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Initial state of the stream `name` for the engine seed. */
export function seedStream(seed: number, name: string): RngState {
  const mix = splitmix32((seed >>> 0) ^ fnv1a(name));
  const st: RngState = [mix(), mix(), mix(), mix()];
  for (let i = 0; i < 12; i++) nextUint32(st);
  return st;
}

/** Advances the stream in place and returns a uint32. */
export function nextUint32(st: RngState): number {
  let [a, b, c, d] = st;
  const t = (((a + b) >>> 0) + d) >>> 0;
  d = (d + 1) >>> 0;
  a = b ^ (b >>> 9);
  b = (c + (c << 3)) >>> 0;
  c = ((c << 21) | (c >>> 11)) >>> 0;
  c = (c + t) >>> 0;
  st[0] = a >>> 0; st[1] = b >>> 0; st[2] = c; st[3] = d;
  return t;
}

/** A float in [0, 1). */
export function nextFloat(st: RngState): number {
  return nextUint32(st) / 4294967296;
}

/** Lower-case hex string of `length` characters. */
export function nextHex(st: RngState, length: number): string {
  let out = '';
  while (out.length < length) out += nextUint32(st).toString(16).padStart(8, '0');
  return out.slice(0, length);
}

/** A UUID-shaped identifier (version-4 layout) drawn from the stream. */
export function nextUuid(st: RngState): string {
  const h = nextHex(st, 32).split('');
  h[12] = '4';
  h[16] = '89ab'[parseInt(h[16]!, 16) & 3]!;
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** Upper-case alphanumeric string (AWS access-key style suffixes). */
export function nextAlnum(st: RngState, length: number): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let out = '';
  for (let i = 0; i < length; i++) out += chars[nextUint32(st) & 31];
  return out;
}

/**
 * Stateless noise: a float in [0, 1) from a key and a counter, for signals that must be
 * computable at any instant without drawing from a stream (e.g. a metric at minute n).
 */
export function hashNoise(key: number, n: number): number {
  let h = (key ^ Math.imul(n | 0, 0x27d4eb2d)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  h = Math.imul(h ^ (n / 4294967296) >>> 0 ^ key, 0x9e3779b1) >>> 0;
  h = (h ^ (h >>> 15)) >>> 0;
  return h / 4294967296;
}
