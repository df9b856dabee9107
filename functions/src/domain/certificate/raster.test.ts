import sharp from 'sharp';
import { Canvas } from './raster';

async function decode(png: Buffer) {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number) => {
    const offset = (y * info.width + x) * info.channels;
    return [data[offset], data[offset + 1], data[offset + 2]];
  };
  return { info, at };
}

describe('the preview rasteriser', () => {
  test('a PNG that sharp decodes at the canvas size, background kept', async () => {
    const canvas = new Canvas(40, 30, 0xfffaf0);
    const { info, at } = await decode(canvas.toPng());
    expect([info.width, info.height]).toEqual([40, 30]);
    expect(at(0, 0)).toEqual([0xff, 0xfa, 0xf0]);
  });

  test('whole-pixel rectangles are solid; a half-covered pixel is half-way', async () => {
    const canvas = new Canvas(20, 10, 0xffffff);
    canvas.fillRect(2, 2, 4, 4, 0x000000);
    canvas.fillRect(10, 2, 2.5, 4, 0x000000);
    const { at } = await decode(canvas.toPng());
    expect(at(2, 2)).toEqual([0, 0, 0]);
    expect(at(5, 5)).toEqual([0, 0, 0]);
    expect(at(6, 5)).toEqual([255, 255, 255]);
    expect(at(1, 2)).toEqual([255, 255, 255]);
    expect(at(12, 3)).toEqual([128, 128, 128]);
  });

  test('non-zero fill: a contour inside another in the opposite direction is a hole', async () => {
    const canvas = new Canvas(12, 12, 0xffffff);
    canvas.fillPath(
      [
        { command: 'moveTo', args: [1, 1] },
        { command: 'lineTo', args: [11, 1] },
        { command: 'lineTo', args: [11, 11] },
        { command: 'lineTo', args: [1, 11] },
        { command: 'closePath', args: [] },
        { command: 'moveTo', args: [4, 4] },
        { command: 'lineTo', args: [4, 8] },
        { command: 'lineTo', args: [8, 8] },
        { command: 'lineTo', args: [8, 4] },
        { command: 'closePath', args: [] },
      ],
      [1, 0, 0, 1, 0, 0],
      0xb3202a,
    );
    const { at } = await decode(canvas.toPng());
    expect(at(2, 2)).toEqual([0xb3, 0x20, 0x2a]);
    expect(at(6, 6)).toEqual([255, 255, 255]);
  });

  test('curves are filled: a quadratic "circle" covers its centre, not its corners', async () => {
    const canvas = new Canvas(20, 20, 0xffffff);
    // A circle of radius 8 around (10, 10) drawn as four quadratic arcs, transformed by a
    // matrix that flips y (as glyph outlines are) and moves it into place.
    const r = 8;
    canvas.fillPath(
      [
        { command: 'moveTo', args: [r, 0] },
        { command: 'quadraticCurveTo', args: [r, r, 0, r] },
        { command: 'quadraticCurveTo', args: [-r, r, -r, 0] },
        { command: 'quadraticCurveTo', args: [-r, -r, 0, -r] },
        { command: 'quadraticCurveTo', args: [r, -r, r, 0] },
        { command: 'closePath', args: [] },
      ],
      [1, 0, 0, -1, 10, 10],
      0x000000,
    );
    const { at } = await decode(canvas.toPng());
    expect(at(10, 10)).toEqual([0, 0, 0]);
    expect(at(3, 10)).toEqual([0, 0, 0]);
    expect(at(3, 3)).toEqual([255, 255, 255]);
  });

  test('more than 256 colours fall back to an RGB PNG that decodes the same', async () => {
    const canvas = new Canvas(300, 2, 0xffffff);
    const color = (x: number) => ((x & 0xff) << 16) | ((x >> 8) << 8) | 0x40;
    for (let x = 0; x < 300; x++) canvas.fillRect(x, 0, 1, 2, color(x));
    const png = canvas.toPng();
    expect(png[25]).toBe(2); // IHDR colour type: truecolour
    const { at } = await decode(png);
    for (const x of [0, 255, 256, 299]) {
      expect(at(x, 1)).toEqual([color(x) >> 16, (color(x) >> 8) & 0xff, color(x) & 0xff]);
    }
  });
});
