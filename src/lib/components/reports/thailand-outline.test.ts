import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OUTLINE_FILE, thailandOutline } from '../../../../scripts/thailand-outline.ts';

describe('the workplace map\'s packaged outline "ประเทศไทย"', () => {
  it('is exactly what the script derives from Natural Earth (world-atlas), with its source and licence named', () => {
    const committed = JSON.parse(readFileSync(OUTLINE_FILE, 'utf8'));
    expect(committed).toEqual(thailandOutline());
    expect(committed.properties.licence).toMatch(/public domain/);
  });

  it("covers Thailand: every point within the country's bounding box, the mainland ring long enough to draw", () => {
    const { geometry } = thailandOutline();
    if (geometry.type !== 'MultiPolygon') throw new Error('expected a MultiPolygon');
    const points = geometry.coordinates.flat(2);
    for (const [lng, lat] of points) {
      expect(lng).toBeGreaterThan(97.3);
      expect(lng).toBeLessThan(105.7);
      expect(lat).toBeGreaterThan(5.6);
      expect(lat).toBeLessThan(20.5);
    }
    expect(Math.max(...geometry.coordinates.map((poly) => poly[0].length))).toBeGreaterThan(200);
  });
});
