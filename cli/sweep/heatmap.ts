import { crc32, deflateSync } from 'node:zlib';

/**
 * Heat maps for the figures as one embedded image instead of one SVG rectangle per cell: no hairline
 * seams between cells (each rectangle's anti-aliased edge let the background through) and a small SVG
 * (Fig. 4 at 111 × 75 cells: one <image> instead of 16 650 <rect>s).
 */

/** An 8-bit RGB PNG of `width` × `height` pixels, `pixel(x, y)` giving [r, g, b] (y = 0 is the top row). */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => readonly [number, number, number]): Buffer {
  const stride = 3 * width + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    raw[y * stride] = 0; // filter type 0 (none)
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      const o = y * stride + 1 + 3 * x;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
    }
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** '#rrggbb' or 'rgb(r, g, b)' → [r, g, b]. */
export function parseColour(css: string): [number, number, number] {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(css);
  if (hex) return [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16), parseInt(hex[3]!, 16)];
  const rgb = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(css);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  throw new Error(`unsupported colour ${css}`);
}

/**
 * A grid of `columns` × `rows` cells (column 0 on the left, row 0 at the BOTTOM, as on a plot) as a PNG
 * data URI. Each cell becomes a block of whole pixels, at least `minPixels` across the image, so the
 * renderer's smoothing when it scales the image only softens a pixel at cell borders.
 */
export function heatmapDataUri(columns: number, rows: number, colour: (column: number, row: number) => string, minPixels = 1200): string {
  const sx = Math.max(1, Math.ceil(minPixels / columns));
  const sy = Math.max(1, Math.ceil(minPixels / rows));
  const cache = new Map<string, [number, number, number]>();
  const rgb = (c: number, r: number) => {
    const css = colour(c, r);
    let v = cache.get(css);
    if (!v) { v = parseColour(css); cache.set(css, v); }
    return v;
  };
  const png = encodePng(columns * sx, rows * sy, (x, y) => rgb(Math.floor(x / sx), rows - 1 - Math.floor(y / sy)));
  return `data:image/png;base64,${png.toString('base64')}`;
}
