/**
 * Writes Thailand's outline for the workplace map (statistic 6) when no tile server is set:
 * the country's polygon from Natural Earth 1:50m admin-0 boundaries (public domain), as packaged
 * by world-atlas 2.0.2 (ISC), converted from TopoJSON with topojson-client and rounded to 3
 * decimals (about 100 m, far finer than the 1:50m source). Run: node --import tsx scripts/thailand-outline.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { Feature, Geometry, Position } from 'geojson';

export const OUTLINE_FILE = new URL('../src/lib/components/reports/thailand-outline.json', import.meta.url);
/** ISO 3166-1 numeric code of Thailand, the id world-atlas gives each country. */
const THAILAND = '764';

const round = (p: Position): Position => [Math.round(p[0] * 1000) / 1000, Math.round(p[1] * 1000) / 1000];

export function thailandOutline(): Feature<Geometry, { name: string; source: string; licence: string }> {
  const require = createRequire(import.meta.url);
  const topology = JSON.parse(readFileSync(require.resolve('world-atlas/countries-50m.json'), 'utf8')) as Topology;
  const countries = feature(topology, topology.objects.countries as GeometryCollection);
  const thailand = countries.features.find((f) => String(f.id) === THAILAND);
  if (!thailand || thailand.geometry.type !== 'MultiPolygon') throw new Error('Thailand is not in world-atlas countries-50m');
  return {
    type: 'Feature',
    properties: {
      name: 'ประเทศไทย / Thailand',
      source: 'Natural Earth 1:50m Admin 0 countries, via world-atlas 2.0.2',
      licence: 'Natural Earth: public domain; world-atlas: ISC'
    },
    geometry: {
      type: 'MultiPolygon',
      coordinates: thailand.geometry.coordinates.map((poly) => poly.map((ring) => ring.map(round)))
    }
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  writeFileSync(OUTLINE_FILE, `${JSON.stringify(thailandOutline())}\n`);
  console.log(`wrote ${OUTLINE_FILE.pathname}`);
}
