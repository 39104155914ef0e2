/**
 * Draws the PWA icons (assets/pwa-192.png, assets/pwa-512.png) with plain zlib, so no image tool
 * is needed. Run once after changing the design: `npx tsx test/pwa/make-icons.ts`. The PNGs are
 * committed; the build only copies them.
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

type Rgb = readonly [number, number, number];
const BG: Rgb = [16, 24, 32];
const PANEL: Rgb = [35, 47, 62];
const ORANGE: Rgb = [255, 153, 0];
const GREEN: Rgb = [46, 204, 113];
const RED: Rgb = [231, 76, 60];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Uint8Array): Buffer {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** The icon at `size` px: a console panel with three instance lights and a CPU line. */
export function drawIcon(size: number): Buffer {
  const px = new Uint8Array(size * size * 3);
  const set = (x: number, y: number, c: Rgb) => {
    if (x < 0 || y < 0 || x >= size || y >= size) return;
    const i = (y * size + x) * 3; px[i] = c[0]; px[i + 1] = c[1]; px[i + 2] = c[2];
  };
  const u = size / 64;
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) set(x, y, BG);
  // Rounded panel (kept inside the maskable safe zone: 80% of the icon).
  const r = 6 * u, x0 = 10 * u, y0 = 10 * u, x1 = 54 * u, y1 = 54 * u;
  for (let y = Math.floor(y0); y < y1; y++) for (let x = Math.floor(x0); x < x1; x++) {
    const dx = Math.max(x0 + r - x, 0, x - (x1 - r)), dy = Math.max(y0 + r - y, 0, y - (y1 - r));
    if (dx * dx + dy * dy <= r * r) set(x, y, PANEL);
  }
  // Three lights.
  const lights: [number, Rgb][] = [[20, GREEN], [32, GREEN], [44, RED]];
  for (const [cx, c] of lights) {
    for (let y = -4 * u; y <= 4 * u; y++) for (let x = -4 * u; x <= 4 * u; x++)
      if (x * x + y * y <= 16 * u * u) set(Math.round(cx * u + x), Math.round(20 * u + y), c);
  }
  // A CPU line that spikes.
  const pts = [[14, 46], [22, 44], [28, 45], [34, 40], [38, 30], [42, 44], [50, 42]] as const;
  for (let i = 0; i + 1 < pts.length; i++) {
    const [ax, ay] = pts[i]!, [bx, by] = pts[i + 1]!;
    const steps = Math.ceil(Math.hypot(bx - ax, by - ay) * u * 2);
    for (let s = 0; s <= steps; s++) {
      const x = (ax + ((bx - ax) * s) / steps) * u, y = (ay + ((by - ay) * s) / steps) * u;
      for (let dy = -1.5 * u; dy <= 1.5 * u; dy++) for (let dx = -1.5 * u; dx <= 1.5 * u; dx++)
        set(Math.round(x + dx), Math.round(y + dy), ORANGE);
    }
  }
  const raw = Buffer.alloc(size * (size * 3 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0;
    Buffer.from(px.buffer, y * size * 3, size * 3).copy(raw, y * (size * 3 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0))]);
}

if (process.argv[1]?.endsWith('make-icons.ts')) {
  for (const size of [192, 512]) writeFileSync(new URL(`../../assets/pwa-${size}.png`, import.meta.url), drawIcon(size));
  console.log('wrote assets/pwa-192.png, assets/pwa-512.png');
}
