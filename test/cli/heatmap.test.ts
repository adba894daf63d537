import { describe, expect, it } from 'vitest';
import { encodePng, heatmapDataUri, parseColour } from '../../cli/sweep/heatmap.js';
import { decodePng } from '../e2e/helpers.js';

describe('cli/sweep/heatmap', () => {
  it('encodePng(w, h, pixel) decodes (independent decoder in test/e2e/helpers.ts) to the same pixels', () => {
    const px = (x: number, y: number) => [(x * 37) & 255, (y * 91) & 255, (x * y) & 255] as const;
    const img = decodePng(encodePng(13, 7, px));
    expect([img.width, img.height, img.channels]).toEqual([13, 7, 3]);
    for (let y = 0; y < 7; y++) for (let x = 0; x < 13; x++) {
      const o = 3 * (y * 13 + x);
      expect([img.data[o], img.data[o + 1], img.data[o + 2]]).toEqual([...px(x, y)]);
    }
  });
  it('parseColour reads #rrggbb and rgb(r, g, b), and refuses anything else', () => {
    expect(parseColour('#31a354')).toEqual([0x31, 0xa3, 0x54]);
    expect(parseColour('rgb(33, 145, 141)')).toEqual([33, 145, 141]);
    expect(() => parseColour('green')).toThrow(/unsupported colour/);
  });
  it('heatmapDataUri: whole-pixel blocks per cell, column 0 on the left and row 0 at the bottom', () => {
    const colours = ['#ff0000', '#00ff00', '#0000ff', '#ffffff', '#000000', '#808080'];
    const uri = heatmapDataUri(3, 2, (c, r) => colours[r * 3 + c]!, 30);
    const img = decodePng(Buffer.from(uri.replace('data:image/png;base64,', ''), 'base64'));
    expect([img.width, img.height]).toEqual([30, 30]); // 10 × 15 pixels a cell
    const at = (x: number, y: number) => { const o = 3 * (y * img.width + x); return [img.data[o], img.data[o + 1], img.data[o + 2]]; };
    for (let r = 0; r < 2; r++) for (let c = 0; c < 3; c++) {
      // centre of cell (c, r); image rows count from the top
      expect(at(10 * c + 5, 30 - 1 - (15 * r + 7)), `cell ${c},${r}`).toEqual(parseColour(colours[r * 3 + c]!));
    }
  });
});
