/**
 * Time limits counted in office minutes (the assistance-request circular gives "25 นาที" per step).
 * Minutes run only while a Thai government office is open — 08:30–16:30 Bangkok time (UTC+7,
 * Thailand has no daylight saving) on working days (calendar.ts: Monday–Friday minus holidays);
 * a request that arrives at night or on a holiday starts its clock when the office opens.
 */
import { addWorkingDays, isWorkingDay, type Holidays } from '../calendar.ts';

export const OFFICE_OPENS_MIN = 8 * 60 + 30;
export const OFFICE_CLOSES_MIN = 16 * 60 + 30;
const BANGKOK_OFFSET_MS = 7 * 3600_000;

function bangkokParts(instant: string): { date: string; minute: number } {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`not a timestamp: ${JSON.stringify(instant)}`);
  const local = new Date(ms + BANGKOK_OFFSET_MS).toISOString();
  return {
    date: local.slice(0, 10),
    minute: Number(local.slice(11, 13)) * 60 + Number(local.slice(14, 16)) + Number(local.slice(17, 19)) / 60
  };
}

function instantOf(date: string, minute: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - BANGKOK_OFFSET_MS + Math.round(minute * 60_000)).toISOString();
}

/** The Bangkok calendar day of an instant. */
export const bangkokDate = (instant: string) => bangkokParts(instant).date;

/** The instant `minutes` office minutes after `start` (an ISO timestamp); returned in UTC. */
export function addOfficeMinutes(start: string, minutes: number, holidays: Holidays): string {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`minutes must be ≥ 0, got ${minutes}`);
  let { date, minute } = bangkokParts(start);
  let left = minutes;
  for (;;) {
    if (!isWorkingDay(date, holidays) || minute >= OFFICE_CLOSES_MIN) {
      date = addWorkingDays(date, 1, holidays);
      minute = OFFICE_OPENS_MIN;
      continue;
    }
    if (minute < OFFICE_OPENS_MIN) minute = OFFICE_OPENS_MIN;
    const open = OFFICE_CLOSES_MIN - minute;
    if (left <= open) return instantOf(date, minute + left);
    left -= open;
    minute = OFFICE_CLOSES_MIN;
  }
}
