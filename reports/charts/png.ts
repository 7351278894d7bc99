// PNG without an alpha channel. Skia always writes RGBA, and pdfkit must then split every
// image into colour and a soft mask (about 60 ms a chart); an RGB PNG it embeds as it is.
// Charts are drawn on opaque white, so dropping alpha loses nothing.

import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * Encodes opaque RGBA pixels (4 bytes a pixel, row by row) as an 8-bit RGB PNG. Each row takes
 * the filter (none, sub or up) with the smallest sum of absolute bytes, the usual heuristic.
 */
export function rgbPng(rgba: Uint8Array, width: number, height: number, dpi = 144): Buffer {
  const stride = width * 3;
  const raw = Buffer.alloc((stride + 1) * height);
  const row = new Uint8Array(stride);
  const prev = new Uint8Array(stride);
  const sub = new Uint8Array(stride);
  const up = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    for (let x = 0, i = y * width * 4; x < width; x++, i += 4) {
      row[x * 3] = rgba[i]!;
      row[x * 3 + 1] = rgba[i + 1]!;
      row[x * 3 + 2] = rgba[i + 2]!;
    }
    let sNone = 0;
    let sSub = 0;
    let sUp = 0;
    for (let i = 0; i < stride; i++) {
      const v = row[i]!;
      const s = (v - (i >= 3 ? row[i - 3]! : 0)) & 255;
      const u = (v - prev[i]!) & 255;
      sub[i] = s;
      up[i] = u;
      sNone += v < 128 ? v : 256 - v;
      sSub += s < 128 ? s : 256 - s;
      sUp += u < 128 ? u : 256 - u;
    }
    const at = y * (stride + 1);
    if (sUp <= sSub && sUp <= sNone) {
      raw[at] = 2;
      raw.set(up, at + 1);
    } else if (sSub <= sNone) {
      raw[at] = 1;
      raw.set(sub, at + 1);
    } else {
      raw[at] = 0;
      raw.set(row, at + 1);
    }
    prev.set(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  // Pixels per metre, so viewers and word processors size the image as drawn (CSS px × 2).
  const phys = Buffer.alloc(9);
  const ppm = Math.round(dpi / 0.0254);
  phys.writeUInt32BE(ppm, 0);
  phys.writeUInt32BE(ppm, 4);
  phys[8] = 1;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('pHYs', phys),
    chunk('IDAT', deflateSync(raw, { level: 6 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
