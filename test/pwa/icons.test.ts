import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { expect, test } from 'vitest';
import { drawIcon } from './make-icons.ts';

/** The raw scanlines of a PNG with one IDAT chunk (compression may differ between zlib versions). */
function pixels(png: Buffer): Buffer {
  let off = 8;
  while (off < png.length) {
    const len = png.readUInt32BE(off);
    if (png.toString('ascii', off + 4, off + 8) === 'IDAT') return inflateSync(png.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  throw new Error('no IDAT');
}

test('the committed PWA icons are what the icon script draws, at their declared sizes', () => {
  for (const size of [192, 512]) {
    const file = readFileSync(new URL(`../../assets/pwa-${size}.png`, import.meta.url));
    expect(file.readUInt32BE(16)).toBe(size); // IHDR width
    expect(file.readUInt32BE(20)).toBe(size); // IHDR height
    expect(Buffer.compare(pixels(file), pixels(drawIcon(size)))).toBe(0);
  }
});
