/**
 * The partner-agency catalog on the tablet: fetched from the server when there is signal, kept
 * on the device (Dexie settings), searched offline. Read-only here: administrators edit it on the
 * server. Before the first fetch the catalog shipped with the app is used.
 */
import { catalogSchema, initialCatalog, type Catalog } from '../domain/services/catalog.ts';
import { getSetting, setSetting } from './local-db.ts';
import { deviceFetch } from './device.ts';

const KEY = 'agency-catalog';

interface CachedCatalog {
  version: string;
  catalog: Catalog;
  fetchedAt: string;
}

/** The catalog on the device (or the shipped one), never waiting for the network. */
export async function deviceCatalog(): Promise<Catalog> {
  const cached = await getSetting<CachedCatalog>(KEY);
  return cached?.catalog ?? initialCatalog();
}

/**
 * Fetches the catalog in force and keeps it; offline or refused, the device's copy stays.
 * Returns the catalog to use now.
 */
export async function refreshCatalog(): Promise<Catalog> {
  try {
    const res = await deviceFetch('/api/catalog', { credentials: 'same-origin' });
    if (!res.ok) return deviceCatalog();
    const body = (await res.json()) as { version?: unknown; catalog?: unknown };
    const parsed = catalogSchema.safeParse(body.catalog);
    if (!parsed.success || typeof body.version !== 'string') return deviceCatalog();
    await setSetting(KEY, {
      version: body.version,
      catalog: parsed.data,
      fetchedAt: new Date().toISOString()
    } satisfies CachedCatalog);
    return parsed.data;
  } catch {
    return deviceCatalog();
  }
}
