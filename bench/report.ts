/** The numbers a run produces, the table printed at the end, and bench/results.json. */
import { writeFileSync } from 'node:fs';
import os from 'node:os';

export interface Measurement {
  /** Which step (1–5) and what. */
  name: string;
  value: number;
  unit: string;
  /** What the value is compared with, when a baseline applies. */
  baseline?: { name: string; value: number };
  /** value / baseline.value */
  ratio?: number;
  /** Sample count, errors, scale-downs: anything a reader needs to trust the number. */
  note?: string;
  details?: Record<string, unknown>;
}

export class Results {
  readonly measurements: Measurement[] = [];
  readonly notes: string[] = [];
  readonly loadAtStart = os.loadavg();

  add(m: Omit<Measurement, 'ratio'>): void {
    const ratio = m.baseline && m.baseline.value > 0 ? m.value / m.baseline.value : undefined;
    const full: Measurement = { ...m, ...(ratio !== undefined ? { ratio } : {}) };
    this.measurements.push(full);
    console.log(
      `  ${m.name}: ${fmt(m.value)} ${m.unit}${m.baseline ? ` (baseline ${fmt(m.baseline.value)}, ratio ${fmt(ratio!)})` : ''}${m.note ? ` — ${m.note}` : ''}`
    );
  }

  note(text: string): void {
    this.notes.push(text);
    console.log(`  note: ${text}`);
  }

  table(): string {
    const rows = [
      ['name', 'value', 'unit', 'baseline', 'ratio'],
      ...this.measurements.map((m) => [
        m.name,
        fmt(m.value),
        m.unit,
        m.baseline ? `${fmt(m.baseline.value)} (${m.baseline.name})` : '',
        m.ratio !== undefined ? `${fmt(m.ratio)}×` : ''
      ])
    ];
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    const line = (r: string[]) =>
      r.map((cell, c) => (c === 1 || c === 4 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ');
    return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
  }

  write(file: string, startedAt: Date): void {
    const cpus = os.cpus();
    const body = {
      machine: {
        cpu: cpus[0]?.model ?? 'unknown',
        cores: cpus.length,
        memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
        node: process.version,
        platform: `${os.platform()} ${os.release()}`,
        // Other work on the machine during the run skews every number: shown so a reader can judge.
        loadAverageAtStart: this.loadAtStart,
        loadAverageAtEnd: os.loadavg()
      },
      date: startedAt.toISOString(),
      durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
      measurements: this.measurements,
      notes: this.notes
    };
    writeFileSync(file, JSON.stringify(body, null, 2) + '\n');
  }
}

export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

/** Nearest-rank percentile of a non-empty sample. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}
