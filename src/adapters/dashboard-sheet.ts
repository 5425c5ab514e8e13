// The Dashboard sheet of the log (R19), kept by the automation: one read each of the Sessions
// and Incidents sheets every hour, and a write only when the figures changed (issue 8: an
// unchanged dashboard costs three calls an hour, not a redraw). A redraw is one write of the
// values and one of the bold headings over the block the dashboard last used, and the column
// chart of the term's weeks is kept, and updated in place only when its data moved. Every
// string is re-made safe: a value read back from a sheet ("=HYPERLINK(...)" stored as text)
// would become a formula if written as it reads.

import type { DashboardBlock, DashCell, SheetRecord } from '../core/dashboard';
import { INCIDENT_COLUMNS } from '../core/incident';
import { SESSION_COLUMNS, SESSION_RECORDING_COLUMNS } from '../core/log-rows';
import type { DashboardSheet } from '../core/ports';
import { safeCell } from '../core/sheet-safe';
import { localDate, localTime } from '../core/time';
import { guarded } from './google-failure';
import { LogBook, SHEETS } from './log-book';

const WIDTH = 6;
/** The chart sits to the right of the tables. */
const CHART_COLUMN = WIDTH + 2;
/** Rows a dashboard drawn before this version may have used (its blocks are capped; see core). */
const EARLIER_ROWS = 300;
const MEMO_KEY = 'dashboard:drawn';

/** What was drawn last: a fingerprint of the figures, how many rows, and where the chart's data is. */
interface Drawn {
  hash: string;
  rows: number;
  chart: ChartPlace | null;
}

interface ChartPlace {
  row: number;
  rows: number;
  columns: number;
}

export class SheetDashboard implements DashboardSheet {
  private readonly book: LogBook;

  constructor(
    spreadsheetApp: GoogleAppsScript.Spreadsheet.SpreadsheetApp,
    spreadsheetId: string,
    private readonly timeZone: string,
    private readonly chartTypes: Pick<GoogleAppsScript.Charts.Charts, 'ChartType'> | undefined,
    /** Where the last drawing is remembered (script properties); without it, every write redraws. */
    private readonly memo?: GoogleAppsScript.Properties.Properties,
  ) {
    this.book = new LogBook(spreadsheetApp, spreadsheetId);
  }

  read(): { sessions: SheetRecord[]; incidents: SheetRecord[] } {
    return {
      sessions: this.records(
        SHEETS.sessions,
        SESSION_COLUMNS.length + SESSION_RECORDING_COLUMNS.length,
      ),
      incidents: this.records(SHEETS.incidents, INCIDENT_COLUMNS.length),
    };
  }

  /** Returns whether the sheet was written (false: the figures are as last drawn). */
  write(blocks: readonly DashboardBlock[], now: number): boolean {
    const body: DashCell[][] = [];
    const bold: number[] = [1];
    let chart: ChartPlace | null = null;
    const top = 4;
    for (const block of blocks) {
      bold.push(top + body.length, top + body.length + 1);
      body.push([block.title], block.header);
      if (block.chart && block.rows.length > 0)
        chart = {
          row: top + body.length - 1,
          rows: block.rows.length + 1,
          columns: block.header.length,
        };
      if (block.rows.length === 0) body.push([block.empty]);
      else body.push(...block.rows);
      body.push([]);
    }
    const hash = fingerprint(JSON.stringify([body, chart]));
    const drawn = this.lastDrawn();
    if (drawn && drawn.hash === hash) return false;

    const grid: DashCell[][] = [
      ['Safe Live Lessons: dashboard'],
      [
        `Figures last changed ${localDate(now, this.timeZone)} ${localTime(now, this.timeZone)}. The automation recomputes them every hour from the Sessions and Incidents sheets; edits here are overwritten.`,
      ],
      [],
      ...body,
    ];
    // Rows the last drawing used and this one does not are blanked in the same write.
    const height = Math.max(grid.length, drawn?.rows ?? EARLIER_ROWS);
    const boldRows = new Set(bold);
    const values: DashCell[][] = [];
    const weights: ('bold' | null)[][] = [];
    for (let r = 0; r < height; r++) {
      const row = grid[r] ?? [];
      values.push(
        Array.from({ length: WIDTH }, (_, i) => {
          const cell = row[i] ?? '';
          return typeof cell === 'number' ? cell : safeCell(cell);
        }),
      );
      weights.push(Array.from({ length: WIDTH }, () => (boldRows.has(r + 1) ? 'bold' : null)));
    }
    const range = this.book.range(SHEETS.dashboard, 1, 1, height, WIDTH);
    guarded('sheets', () => range.setValues(values));
    guarded('sheets', () => range.setFontWeights(weights));
    if (!drawn || !sameChart(drawn.chart ?? undefined, chart)) this.drawChart(chart);
    this.memo?.setProperty(MEMO_KEY, JSON.stringify({ hash, rows: grid.length, chart }));
    return true;
  }

  /** Keeps one chart: updated in place when its data moved, added if missing, removed if no data. */
  private drawChart(place: ChartPlace | null): void {
    const sheet = this.book.sheet(SHEETS.dashboard);
    const charts = guarded('sheets', () => sheet.getCharts());
    for (const extra of charts.slice(place ? 1 : 0))
      guarded('sheets', () => sheet.removeChart(extra));
    if (!place || !this.chartTypes) return;
    const data = sheet.getRange(place.row, 1, place.rows, place.columns);
    const existing = charts[0];
    if (existing) {
      guarded('sheets', () =>
        sheet.updateChart(
          existing
            .modify()
            .clearRanges()
            .addRange(data)
            .setPosition(place.row - 1, CHART_COLUMN, 0, 0)
            .build(),
        ),
      );
      return;
    }
    const chartTypes = this.chartTypes;
    guarded('sheets', () =>
      sheet.insertChart(
        sheet
          .newChart()
          .setChartType(chartTypes.ChartType.COLUMN)
          .addRange(data)
          .setPosition(place.row - 1, CHART_COLUMN, 0, 0)
          .setOption('title', 'Live lessons this term, by week')
          .build(),
      ),
    );
  }

  private lastDrawn(): Drawn | null {
    const raw = this.memo?.getProperty(MEMO_KEY);
    if (!raw) return null;
    try {
      return JSON.parse(raw) as Drawn;
    } catch {
      return null;
    }
  }

  private records(name: string, width: number): SheetRecord[] {
    const values = guarded('sheets', () => this.book.rest(name, 1, width).getValues());
    const [header, ...rows] = values;
    if (!header) return [];
    return rows
      .filter((row) => row.some((cell) => cell !== '' && cell !== null && cell !== undefined))
      .map((row) => Object.fromEntries(header.map((h, i) => [String(h), row[i]])));
  }
}

function sameChart(a: ChartPlace | undefined, b: ChartPlace | null): boolean {
  if (!a || !b) return !a && !b;
  return a.row === b.row && a.rows === b.rows && a.columns === b.columns;
}

/** FNV-1a, 32 bits, with the length: enough to tell one set of figures from the next. */
function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${h.toString(16)}-${text.length}`;
}
