/**
 * The supervisor's reports, read from the sync-server (online, desktop: reports are never
 * replicated to the device): the KPI table, the people behind a number, and exports downloaded
 * with progress. The statistics of the follow-up system: statistics.ts.
 */
import { ApiError } from './api.ts';
import type { BilingualText } from '../domain/supervision.ts';
import type { KpiCounts, KpiDefinition, KpiGroup, KpiId, KpiRow, KpiWindow } from '../domain/kpi.ts';
import { deviceFetch } from './device.ts';

export interface ProjectionState {
  unitId: string;
  seq: string | null;
  caughtUpAt: string | null;
  people: number;
}

export type KpiCell = KpiCounts & { excluded: number; groups?: Record<KpiGroup, KpiCounts> };

export interface KpiTable {
  fiscalYear: number;
  period: 6 | 12;
  asOf: string | null;
  definitions: Record<KpiId, KpiDefinition>;
  windows: Record<KpiId, KpiWindow> | null;
  region: { id: string; name: BilingualText; kpis: Record<KpiId, KpiCell> };
  units: Array<{
    unitId: string;
    name: BilingualText;
    stale: boolean;
    projection: ProjectionState;
    kpis: Record<KpiId, KpiCell>;
  }>;
}

export type PeopleRow = KpiRow & { name: string; prisonerId: string };

export interface PeoplePage {
  kpi: KpiId;
  definition: KpiDefinition;
  total: number;
  offset: number;
  units: Array<{ unitId: string; name: BilingualText; stale: boolean; projection: ProjectionState }>;
  rows: PeopleRow[];
}

export type Outcome = 'met' | 'not-met' | 'counted' | 'excluded' | 'all';

export interface PeopleQuery {
  fy: number;
  period: 6 | 12;
  unit: string;
  outcome: Outcome;
  group?: KpiGroup;
  offset?: number;
  limit?: number;
}

export async function getJson<T>(path: string): Promise<T> {
  const res = await deviceFetch(path, { credentials: 'same-origin' });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, data.message ?? res.statusText);
  return data as T;
}

export const qs = (o: Record<string, string | number | undefined>) =>
  new URLSearchParams(
    Object.entries(o)
      .filter((e): e is [string, string | number] => e[1] !== undefined)
      .map(([k, v]) => [k, String(v)])
  ).toString();

export const kpiTable = (fy: number, period: 6 | 12) => getJson<KpiTable>(`/api/reports/kpi?${qs({ fy, period })}`);

export const peoplePage = (kpi: KpiId, q: PeopleQuery) => getJson<PeoplePage>(`/api/reports/kpi/${kpi}/people?${qs({ ...q })}`);

export const kpiTableExportUrl = (fy: number, period: 6 | 12, format: 'xlsx' | 'csv') =>
  `/api/reports/kpi/export?${qs({ fy, period, format })}`;
export const peopleExportUrl = (kpi: KpiId, q: PeopleQuery, format: 'xlsx' | 'csv') =>
  `/api/reports/kpi/${kpi}/people/export?${qs({ fy: q.fy, period: q.period, unit: q.unit, outcome: q.outcome, group: q.group, format })}`;

export interface DownloadProgress {
  bytes: number;
  /** Rows written so far (CSV: counted line ends) and in all, when the server said how many. */
  rows?: number;
  totalRows?: number;
}

/**
 * Downloads an export while reporting progress, then hands it to the browser as a file.
 * The file name is the server's (Content-Disposition).
 */
export async function downloadExport(
  url: string,
  onProgress: (p: DownloadProgress) => void
): Promise<{ fileName: string; bytes: number }> {
  const res = await deviceFetch(url, { credentials: 'same-origin' });
  if (!res.ok || !res.body) {
    const data = await res.json().catch(() => ({}));
    throw new ApiError(res.status, data.message ?? res.statusText);
  }
  const totalRows = Number(res.headers.get('x-export-rows') ?? '') || undefined;
  const isCsv = (res.headers.get('content-type') ?? '').startsWith('text/csv');
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let lines = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    bytes += value.length;
    if (isCsv) for (const b of value) if (b === 10) lines++;
    // The header line is not a row.
    onProgress({ bytes, ...(isCsv && { rows: Math.max(0, lines - 1) }), ...(totalRows !== undefined && { totalRows }) });
  }
  const fileName = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'export';
  const blob = new Blob(chunks as BlobPart[], { type: res.headers.get('content-type') ?? 'application/octet-stream' });
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return { fileName, bytes };
}
