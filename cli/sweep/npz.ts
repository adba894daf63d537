import { crc32 } from 'node:zlib';

/**
 * numpy's .npy (format 1.0) and .npz files, written without numpy:
 * - .npy: the magic "\x93NUMPY", version 1.0, a little-endian uint16 header length, then the header
 *   `{'descr': …, 'fortran_order': False, 'shape': (…), }` padded with spaces and ended by "\n" so the
 *   data start at a multiple of 64 bytes, then the data in C order.
 * - .npz: a ZIP archive of NAME.npy members, "stored" (method 0, no compression) with each member's
 *   CRC-32; `numpy.load(f)` opens it and `d[NAME]` is the array. No timestamps (every member is dated
 *   1980-01-01 00:00), so the same arrays give the same bytes. No ZIP64: an archive is refused past
 *   4 GiB or 65535 members (a sweep of at most 2·10⁶ points stays far below).
 */

/** A float64 array or a fixed-width unicode array ('<U n', n = the longest string) of a given shape. */
export type NpyArray = { shape: readonly number[]; float64: ArrayLike<number> } | { shape: readonly number[]; strings: readonly string[] };

/** The shape as numpy writes it in a header: (), (n,), (a, b), … */
function shapeText(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** The .npy 1.0 header text for `descr` and `shape`, padded so that 10 + its length is a multiple of 64. */
export function npyHeaderText(descr: string, shape: readonly number[]): string {
  const header0 = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText(shape)}, }`;
  const total = Math.ceil((10 + header0.length + 1) / 64) * 64;
  return `${header0}${' '.repeat(total - 10 - header0.length - 1)}\n`;
}

/** The bytes of one .npy file. */
export function npyBytes(a: NpyArray): Uint8Array {
  const count = a.shape.reduce((n, k) => n * k, 1);
  const values = 'float64' in a ? a.float64 : a.strings;
  if (values.length !== count) throw new Error(`npy: ${values.length} values for shape ${shapeText(a.shape)}`);
  let width = 1;
  let descr = '<f8';
  if ('strings' in a) {
    for (const s of a.strings) width = Math.max(width, [...s].length);
    descr = `<U${width}`;
  }
  const header = npyHeaderText(descr, a.shape);
  const start = 10 + header.length;
  const item = 'float64' in a ? 8 : 4 * width;
  const buf = new Uint8Array(start + count * item);
  buf.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  const dv = new DataView(buf.buffer);
  dv.setUint16(8, header.length, true);
  for (let k = 0; k < header.length; k++) buf[10 + k] = header.charCodeAt(k);
  if ('float64' in a) {
    for (let k = 0; k < count; k++) dv.setFloat64(start + 8 * k, a.float64[k]!, true);
  } else {
    // UCS-4 code points, little-endian, zero-padded to the width.
    a.strings.forEach((s, k) => {
      let off = start + k * item;
      for (const ch of s) { dv.setUint32(off, ch.codePointAt(0)!, true); off += 4; }
    });
  }
  return buf;
}

/** A ZIP archive of `members`, stored (no compression), deterministic. */
export function zipStored(members: ReadonlyArray<{ name: string; data: Uint8Array }>): Uint8Array {
  if (members.length > 0xffff) throw new Error(`zip: ${members.length} members, more than 65535 (no ZIP64)`);
  const enc = new TextEncoder();
  const DATE = 0x0021; // 1980-01-01 in MS-DOS format; time 00:00:00
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const m of members) {
    const name = enc.encode(m.name);
    const ascii = name.every((b) => b < 0x80);
    const flags = ascii ? 0 : 0x0800; // bit 11: the name is UTF-8
    const crc = crc32(m.data) >>> 0;
    const local = new Uint8Array(30 + name.length);
    const l = new DataView(local.buffer);
    l.setUint32(0, 0x04034b50, true);
    l.setUint16(4, 20, true); // version needed: 2.0
    l.setUint16(6, flags, true);
    l.setUint16(8, 0, true); // method: stored
    l.setUint16(10, 0, true);
    l.setUint16(12, DATE, true);
    l.setUint32(14, crc, true);
    l.setUint32(18, m.data.length, true);
    l.setUint32(22, m.data.length, true);
    l.setUint16(26, name.length, true);
    l.setUint16(28, 0, true);
    local.set(name, 30);
    const c = new Uint8Array(46 + name.length);
    const cv = new DataView(c.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true); // made by: 2.0, MS-DOS attributes
    cv.setUint16(6, 20, true);
    cv.setUint16(8, flags, true);
    cv.setUint16(10, 0, true);
    cv.setUint16(12, 0, true);
    cv.setUint16(14, DATE, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, m.data.length, true);
    cv.setUint32(24, m.data.length, true);
    cv.setUint16(28, name.length, true);
    // extra 0, comment 0, disk 0, internal 0, external 0 (bytes 30–41 stay zero)
    cv.setUint32(42, offset, true);
    c.set(name, 46);
    parts.push(local, m.data);
    central.push(c);
    offset += local.length + m.data.length;
    if (offset > 0xffffffff) throw new Error('zip: larger than 4 GiB (no ZIP64)');
  }
  const cdSize = central.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const e = new DataView(end.buffer);
  e.setUint32(0, 0x06054b50, true);
  e.setUint16(8, members.length, true);
  e.setUint16(10, members.length, true);
  e.setUint32(12, cdSize, true);
  e.setUint32(16, offset, true);
  const out = new Uint8Array(offset + cdSize + 22);
  let at = 0;
  for (const p of [...parts, ...central, end]) { out.set(p, at); at += p.length; }
  return out;
}

/** An .npz archive: one member NAME.npy per entry, in the given order. */
export function npzBytes(arrays: ReadonlyArray<{ name: string; array: NpyArray }>): Uint8Array {
  const seen = new Set<string>();
  for (const a of arrays) {
    if (seen.has(a.name)) throw new Error(`npz: the member ${a.name} twice`);
    seen.add(a.name);
  }
  return zipStored(arrays.map((a) => ({ name: `${a.name}.npy`, data: npyBytes(a.array) })));
}
