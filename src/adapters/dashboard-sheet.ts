// The Dashboard sheet of the log (R19), rewritten whole by the automation: one read of the
// Sessions and Incidents sheets, one write of the blocks, bold headings and a column chart
// of the term's weeks. Every string is re-made safe: a value read back from a sheet
// ("=HYPERLINK(...)" stored as text) would become a formula if written as it reads.

import type { DashboardBlock, DashCell, SheetRecord } from '../core/dashboard';
import type { DashboardSheet } from '../core/ports';
import { safeCell } from '../core/sheet-safe';
import { localDate, localTime } from '../core/time';
import { guarded } from './google-failure';
import { type LogBookCache, logSheet, newLogBookCache } from './log-book';
import { SHEETS } from './sheet-log';

const WIDTH = 6;
/** The chart sits to the right of the tables. */
const CHART_COLUMN = WIDTH + 2;

export class SheetDashboard implements DashboardSheet {
  private readonly logBook: LogBookCache = newLogBookCache();

  constructor(
    private readonly spreadsheetApp: GoogleAppsScript.Spreadsheet.SpreadsheetApp,
    private readonly spreadsheetId: string,
    private readonly timeZone: string,
    private readonly chartTypes: Pick<GoogleAppsScript.Charts.Charts, 'ChartType'> | undefined,
  ) {}

  read(): { sessions: SheetRecord[]; incidents: SheetRecord[] } {
    return {
      sessions: this.records(SHEETS.sessions),
      incidents: this.records(SHEETS.incidents),
    };
  }

  write(blocks: readonly DashboardBlock[], now: number): void {
    const sheet = this.sheet(SHEETS.dashboard);
    const grid: DashCell[][] = [
      ['Safe Live Lessons: dashboard'],
      [
        `Updated ${localDate(now, this.timeZone)} ${localTime(now, this.timeZone)} by the automation, every hour. Edits here are overwritten: the Sessions and Incidents sheets hold the record.`,
      ],
      [],
    ];
    const bold: number[] = [1];
    let chart: { row: number; rows: number; columns: number } | null = null;
    for (const block of blocks) {
      bold.push(grid.length + 1, grid.length + 2);
      grid.push([block.title], block.header);
      if (block.chart && block.rows.length > 0)
        chart = { row: grid.length, rows: block.rows.length + 1, columns: block.header.length };
      if (block.rows.length === 0) grid.push([block.empty]);
      else grid.push(...block.rows);
      grid.push([]);
    }
    const values = grid.map((row) =>
      Array.from({ length: WIDTH }, (_, i) => {
        const cell = row[i] ?? '';
        return typeof cell === 'number' ? cell : safeCell(cell);
      }),
    );
    guarded('sheets', () => {
      for (const old of sheet.getCharts()) sheet.removeChart(old);
      sheet.clear();
      if (sheet.getMaxRows() < values.length)
        sheet.insertRowsAfter(sheet.getMaxRows(), values.length - sheet.getMaxRows());
      sheet.getRange(1, 1, values.length, WIDTH).setValues(values);
      for (const row of bold) sheet.getRange(row, 1, 1, WIDTH).setFontWeight('bold');
      if (chart && this.chartTypes) {
        sheet.insertChart(
          sheet
            .newChart()
            .setChartType(this.chartTypes.ChartType.COLUMN)
            .addRange(sheet.getRange(chart.row, 1, chart.rows, chart.columns))
            .setPosition(chart.row - 1, CHART_COLUMN, 0, 0)
            .setOption('title', 'Live lessons this term, by week')
            .build(),
        );
      }
    });
  }

  private records(name: string): SheetRecord[] {
    const sheet = this.sheet(name);
    const values = guarded('sheets', () => sheet.getDataRange().getValues());
    const [header, ...rows] = values;
    if (!header) return [];
    return rows.map((row) => Object.fromEntries(header.map((h, i) => [String(h), row[i]])));
  }

  private sheet(name: string): GoogleAppsScript.Spreadsheet.Sheet {
    return logSheet(this.logBook, this.spreadsheetApp, this.spreadsheetId, name);
  }
}
