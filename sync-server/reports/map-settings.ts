/**
 * The workplace map's background (statistic 6), a deployment setting read once at start-up:
 * CARE_MAP_TILE_URL, a raster tile template with {z}, {x} and {y} (for example a tile server
 * behind the same origin: /tiles/{z}/{x}/{y}.png), and CARE_MAP_ATTRIBUTION, the credit the tile
 * provider asks for. Without a URL the page draws Thailand's packaged outline only, so the map
 * works with no tile server and no Internet. The app's Content-Security-Policy allows images from
 * its own origin only, so tiles from another host need a same-origin proxy path.
 */
export interface MapSettings {
  tileUrl: string | null;
  attribution: string;
}

const TEMPLATE = /^(https?:\/\/[^\s"'<>]+|\/[^\s"'<>]*)$/;

/** Throws naming the variable when the URL is not a usable template (a typo stops the server). */
export function mapSettings(env: NodeJS.ProcessEnv = process.env): MapSettings {
  const url = env.CARE_MAP_TILE_URL?.trim() || null;
  const attribution = (env.CARE_MAP_ATTRIBUTION ?? '').trim().slice(0, 300);
  if (url !== null && (!TEMPLATE.test(url) || !['{z}', '{x}', '{y}'].every((p) => url.includes(p))))
    throw new Error(`CARE_MAP_TILE_URL must be an http(s) URL or a path with {z}, {x} and {y}, got ${url}`);
  return { tileUrl: url, attribution };
}
