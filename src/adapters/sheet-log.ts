// The log spreadsheet SLT open (R18), written only by the automation account (R20).
//
// Cost (issue 8): a run opens the spreadsheet once and, per sheet, reads at most once and
// writes as few blocks as it can. A lesson's row and attendance go where LogPlaces says (a
// place is saved before the write, so a retry rewrites the same cells and never adds a row),
// so writing a lesson whose row holds no staff entries needs no read at all. A read happens
// when it must: staff entries and incidents (checked against the row's teacher and second
// adult), rows of lessons logged before places were kept, rows whose staff cells must be
// merged, and many scattered rows (one read, one write of the block is cheaper than a write
// per row).
//
// Ownership (issue 9): staff entries are added below what a row holds, with who and when,
// and only from the people the row names as the lesson's teacher or second adult, for as
// long as the log exists. The system's columns never overwrite the staff's cells.

import {
  INCIDENT_COLUMNS,
  INCIDENT_STAFF_COLUMNS,
  type IncidentColumn,
  type IncidentReport,
  incidentRow,
} from '../core/incident';
import type { Lesson } from '../core/lesson';
import {
  ATTENDANCE_COLUMNS,
  attendanceRows,
  type Cell,
  SESSION_COLUMNS,
  sessionRow,
} from '../core/log-rows';
import type { Deadline, IncidentLog, Placement, SafeguardingLog } from '../core/ports';
import { asText } from '../core/sheet-safe';
import { appendEntry, mayWriteLog, type TeacherLogEntry } from '../core/teacher-log';
import { guarded } from './google-failure';
import {
  type LessonPlace,
  LogBook,
  type LogPlaces,
  placeFromColumn,
  SHEETS,
  type SheetPlace,
} from './log-book';

const WIDTH = SESSION_COLUMNS.length;
const col = (name: (typeof SESSION_COLUMNS)[number]) => SESSION_COLUMNS.indexOf(name);
const TECH = col('Any Technology Issues');
const BEHAVIOUR = col('Any Inappropriate Behaviour');
const SLT = col('Anything To Share With SLT?');
const TEACHER = col('Teacher');
const SECOND = col('Second Staff Named');
const INCIDENT_ID = INCIDENT_COLUMNS.indexOf('Incident ID');
/** Above this many separate blocks, one read and one write of the span is cheaper. */
const MAX_BLIND_WRITES = 2;

/** Sessions as read this execution: rows from row 1 (the header), kept up to date with our writes. */
interface SessionsRead {
  values: unknown[][];
  index: Map<string, number>;
}

interface RowWrite {
  lesson: Lesson;
  row: number;
  /** null for the staff's cells: filled from the read, or '' for a row nobody wrote in. */
  values: (Cell | null)[];
}

export class SheetSafeguardingLog implements SafeguardingLog, IncidentLog {
  private readonly book: LogBook;
  private sessions: SessionsRead | undefined;

  constructor(
    private readonly spreadsheetApp: GoogleAppsScript.Spreadsheet.SpreadsheetApp,
    spreadsheetId: string,
    private readonly timeZone: string,
    private readonly places: LogPlaces,
    deadline?: Deadline,
  ) {
    this.book = new LogBook(spreadsheetApp, spreadsheetId, deadline);
  }

  /**
   * Writes the lessons' Sessions rows, then the attendance of those that closed. `logged`
   * hears of each lesson once all of its rows are written, so a failure part-way keeps what
   * was done and the rest is retried on the next run.
   */
  record(lessons: readonly Lesson[], logged: (lessonIds: string[]) => void): void {
    if (lessons.length === 0) return;
    const known: { lesson: Lesson; place: LessonPlace }[] = [];
    const fresh: Lesson[] = [];
    const unplaced: Lesson[] = [];
    for (const lesson of lessons) {
      const place = this.places.lesson(lesson.id);
      if (place.row) known.push({ lesson, place });
      else if (lesson.loggedVersion === 0) fresh.push(lesson);
      else unplaced.push(lesson);
    }
    let sessions = this.places.sheet(SHEETS.sessions);
    const provisional = [
      ...known.map((k) => k.place.row!),
      ...fresh.map((_, i) => (sessions?.next ?? 0) + i),
    ];
    const mustRead =
      !sessions ||
      unplaced.length > 0 ||
      known.some((k) => k.place.text) ||
      runsOf(provisional).length > MAX_BLIND_WRITES;
    const read = mustRead ? this.readSessions() : undefined;
    if (read) sessions = this.places.sheet(SHEETS.sessions);
    const next = { ...sessions! };
    const placesNow: Record<string, LessonPlace> = {};
    const writes: RowWrite[] = [];
    const rowFor = (lesson: Lesson, place: LessonPlace): number => {
      // A read is the truth: a row found by id wins over a saved place.
      let row = read?.index.get(lesson.id);
      if (row === undefined && place.row) {
        // A row taken by a run cut off before it wrote is still empty: it is used again.
        const there = read?.values[place.row - 1];
        if (!read || !there || String(there[0] ?? '') === '') row = place.row;
      }
      row ??= next.next++;
      if (row !== place.row) {
        const values = read?.values[row - 1];
        const text = !!values && [TECH, BEHAVIOUR, SLT].some((c) => String(values[c] ?? '') !== '');
        placesNow[lesson.id] = { ...place, row, text: place.text || text };
      }
      return row;
    };
    // A new lesson's row is taken now, before the write, so a retry writes the same row.
    for (const k of [...known, ...[...fresh, ...unplaced].map((lesson) => ({ lesson, place: {} }))])
      writes.push({
        lesson: k.lesson,
        row: rowFor(k.lesson, k.place),
        values: sessionRow(k.lesson, this.timeZone),
      });
    next.max = this.book.grow(SHEETS.sessions, next.max, next.next - 1);
    this.places.save({ [SHEETS.sessions]: next }, placesNow);

    const closed = new Set(lessons.filter((l) => l.status === 'closed').map((l) => l.id));
    const done = (ws: readonly RowWrite[]) => {
      const ids = ws.map((w) => w.lesson.id).filter((id) => !closed.has(id));
      if (ids.length > 0) logged(ids);
    };
    if (this.sessions) {
      // One write of the span of rows: untouched rows get back what was read.
      const span = this.spanValues(writes);
      guarded('sheets', () =>
        this.book
          .range(SHEETS.sessions, span.first, 1, span.values.length, WIDTH)
          .setValues(span.values),
      );
      done(writes);
    } else {
      for (const run of runsOf(writes.map((w) => w.row))) {
        const block = writes
          .filter((w) => w.row >= run.first && w.row <= run.last)
          .sort((a, b) => a.row - b.row);
        // Nobody wrote in these rows (no place says so): the staff's cells are empty.
        const values = block.map((w) => w.values.map((v) => v ?? ''));
        guarded('sheets', () =>
          this.book.range(SHEETS.sessions, run.first, 1, block.length, WIDTH).setValues(values),
        );
        done(block);
      }
    }
    const closing = lessons.filter((l) => closed.has(l.id));
    if (closing.length > 0) {
      this.recordAttendance(closing);
      logged(closing.map((l) => l.id));
    }
  }

  /**
   * Each entry goes below what its lesson's row holds, with its author and time, if the row
   * names the author as the lesson's teacher or second adult. One read, one write.
   */
  addTeacherEntries(entries: readonly TeacherLogEntry[]): Placement[] {
    if (entries.length === 0) return [];
    const read = this.readSessions();
    const touched = new Map<number, unknown[]>();
    const outcomes = entries.map((entry): Placement => {
      const row = read.index.get(entry.lessonId);
      if (!row) return 'no-row';
      const values = touched.get(row) ?? [...read.values[row - 1]!];
      if (!mayWriteLog(staffOf(values), entry.teacher)) return 'not-staff';
      const result = appendEntry(
        {
          technologyIssues: String(values[TECH] ?? ''),
          inappropriateBehaviour: String(values[BEHAVIOUR] ?? ''),
          shareWithSlt: String(values[SLT] ?? ''),
        },
        entry,
        this.timeZone,
      );
      if (result.kind === 'full') return 'full';
      if (result.kind === 'appended') {
        values[TECH] = result.cells.technologyIssues;
        values[BEHAVIOUR] = result.cells.inappropriateBehaviour;
        values[SLT] = result.cells.shareWithSlt;
        touched.set(row, values);
      }
      return 'placed';
    });
    if (touched.size > 0) {
      // The rows now hold staff text: a later system write reads before it rewrites them.
      const marks: Record<string, LessonPlace> = {};
      for (const [row, values] of touched) {
        const id = String(values[0]);
        marks[id] = { ...this.places.lesson(id), row, text: true };
      }
      this.places.save({}, marks);
      const rows = [...touched.keys()];
      const first = Math.min(...rows);
      const last = Math.max(...rows);
      const block: unknown[][] = [];
      for (let r = first; r <= last; r++) {
        const values = touched.get(r) ?? read.values[r - 1]!;
        block.push([TECH, BEHAVIOUR, BEHAVIOUR + 1, SLT].map((c) => rewritable(values[c])));
      }
      guarded('sheets', () =>
        this.book
          .range(SHEETS.sessions, first, TECH + 1, block.length, SLT - TECH + 1)
          .setValues(block),
      );
      for (const [row, values] of touched) read.values[row - 1] = values;
    }
    return outcomes;
  }

  /**
   * R15: one row per incident, found again by its id so a retry adds nothing twice, and only
   * from the lesson's teacher or second adult as its Sessions row names them. New rows in one call.
   */
  addIncidents(reports: readonly IncidentReport[]): Placement[] {
    if (reports.length === 0) return [];
    const read = this.readSessions();
    const ids = guarded('sheets', () =>
      this.book.rest(SHEETS.incidents, 1, 1, INCIDENT_ID + 1).getValues(),
    );
    const place = placeFromColumn(ids);
    const known = new Set(
      ids
        .slice(1)
        .map((r) => String(r[0] ?? ''))
        .filter(Boolean),
    );
    const fresh: IncidentReport[] = [];
    const outcomes = reports.map((report): Placement => {
      const row = read.index.get(report.lessonId);
      if (!row) return 'no-row';
      if (!mayWriteLog(staffOf(read.values[row - 1]!), report.reportedBy)) return 'not-staff';
      if (!known.has(report.id)) {
        known.add(report.id);
        fresh.push(report);
      }
      return 'placed';
    });
    if (fresh.length > 0) {
      const start = place.next;
      const max = this.book.grow(SHEETS.incidents, place.max, start + fresh.length - 1);
      if (max > place.max) this.extendStaffColumns(place.max, max);
      guarded('sheets', () =>
        this.book
          .range(SHEETS.incidents, start, 1, fresh.length, INCIDENT_COLUMNS.length)
          .setValues(fresh.map((r) => incidentRow(r, this.timeZone))),
      );
    }
    return outcomes;
  }

  retainPlaces(lessonIds: readonly string[]): void {
    const keep = new Set(lessonIds);
    this.places.forget(this.places.lessons().filter((id) => !keep.has(id)));
  }

  /**
   * New rows at the foot of Incidents get what setup gave the others: SLT's and the DSL's
   * columns left editable (holes in the sheet's protection) with their dropdowns.
   */
  private extendStaffColumns(oldMax: number, max: number): void {
    const sheet = this.book.sheet(SHEETS.incidents);
    const [protection] = guarded('sheets', () =>
      sheet.getProtections(this.spreadsheetApp.ProtectionType.SHEET),
    );
    const columns = Object.keys(INCIDENT_STAFF_COLUMNS).map(
      (name) => INCIDENT_COLUMNS.indexOf(name as IncidentColumn) + 1,
    );
    if (protection) {
      const holes = columns.map((c) => sheet.getRange(2, c, max - 1, 1));
      guarded('sheets', () => protection.setUnprotectedRanges(holes));
    }
    for (const [name, values] of Object.entries(INCIDENT_STAFF_COLUMNS)) {
      if (!values) continue;
      const rule = dropdownRule(this.spreadsheetApp, values);
      const column = INCIDENT_COLUMNS.indexOf(name as IncidentColumn) + 1;
      guarded('sheets', () =>
        sheet.getRange(oldMax + 1, column, max - oldMax, 1).setDataValidation(rule),
      );
    }
  }

  /** Attendance is written once per lesson, at rows taken before the write (a retry rewrites them). */
  private recordAttendance(closed: readonly Lesson[]): void {
    const blocks = closed
      .map((lesson) => ({ lesson, rows: attendanceRows(lesson, this.timeZone) }))
      .filter((b) => b.rows.length > 0);
    if (blocks.length === 0) return;
    let attendance: SheetPlace | undefined;
    const placesNow: Record<string, LessonPlace> = {};
    const writes: { start: number; rows: Cell[][] }[] = [];
    const blank = (n: number): Cell[][] =>
      Array.from({ length: n }, () => ATTENDANCE_COLUMNS.map(() => ''));
    for (const b of blocks) {
      const place = { ...this.places.lesson(b.lesson.id), ...placesNow[b.lesson.id] };
      const taken = place.attendanceRows ?? b.rows.length;
      if (place.attendance && b.rows.length <= taken) {
        // Written again where it was taken (a retry), blanking what a longer try left.
        writes.push({
          start: place.attendance,
          rows: [...b.rows, ...blank(taken - b.rows.length)],
        });
        continue;
      }
      // A retry with more rows than were taken (the roster grew) must not run into the next
      // lesson's block: the old block is blanked and a new one taken at the end.
      if (place.attendance) writes.push({ start: place.attendance, rows: blank(taken) });
      attendance ??= this.sheetPlace(SHEETS.attendance);
      const start = attendance.next;
      attendance.next += b.rows.length;
      placesNow[b.lesson.id] = { ...place, attendance: start, attendanceRows: b.rows.length };
      writes.push({ start, rows: b.rows });
    }
    if (attendance) {
      attendance.max = this.book.grow(SHEETS.attendance, attendance.max, attendance.next - 1);
      this.places.save({ [SHEETS.attendance]: attendance }, placesNow);
    }
    writes.sort((a, b) => a.start - b.start);
    // Blocks taken together in this run sit one after another: one write.
    const merged: { start: number; rows: Cell[][] }[] = [];
    for (const w of writes) {
      const last = merged[merged.length - 1];
      if (last && last.start + last.rows.length === w.start) last.rows.push(...w.rows);
      else merged.push({ start: w.start, rows: [...w.rows] });
    }
    for (const m of merged) {
      guarded('sheets', () =>
        this.book
          .range(SHEETS.attendance, m.start, 1, m.rows.length, ATTENDANCE_COLUMNS.length)
          .setValues(m.rows),
      );
    }
  }

  /** Where the sheet's next row goes: saved, or found once from its first column. */
  private sheetPlace(name: string): SheetPlace {
    const saved = this.places.sheet(name);
    if (saved) return { ...saved };
    const column = guarded('sheets', () => this.book.rest(name, 1, 1).getValues());
    return placeFromColumn(column);
  }

  /** The whole Sessions sheet, read once per execution (and kept up to date by our writes). */
  private readSessions(): SessionsRead {
    if (this.sessions) return this.sessions;
    const values = guarded('sheets', () => this.book.rest(SHEETS.sessions, 1, WIDTH).getValues());
    const index = new Map<string, number>();
    values.forEach((row, i) => {
      const id = String(row[0] ?? '');
      if (i > 0 && id && !index.has(id)) index.set(id, i + 1);
    });
    this.sessions = { values, index };
    // The read also tells where the sheet ends: a saved place can only be behind, never ahead.
    const found = placeFromColumn(values);
    const saved = this.places.sheet(SHEETS.sessions);
    if (!saved || saved.next < found.next || saved.max !== found.max)
      this.places.save({
        [SHEETS.sessions]: { next: Math.max(saved?.next ?? 0, found.next), max: found.max },
      });
    return this.sessions;
  }

  /** The rows first..last of the writes: written rows merged with their staff cells, others as read. */
  private spanValues(writes: readonly RowWrite[]): { first: number; values: unknown[][] } {
    const read = this.sessions!;
    const first = Math.min(...writes.map((w) => w.row));
    const last = Math.max(...writes.map((w) => w.row));
    const byRow = new Map(writes.map((w) => [w.row, w]));
    const values: unknown[][] = [];
    for (let r = first; r <= last; r++) {
      const current = read.values[r - 1] ?? [];
      const w = byRow.get(r);
      const row = w
        ? w.values.map((v, i) => (v === null ? rewritable(current[i]) : v))
        : Array.from({ length: WIDTH }, (_, i) => rewritable(current[i]));
      values.push(row);
      read.values[r - 1] = row;
      if (w) read.index.set(w.lesson.id, r);
    }
    return { first, values };
  }
}

/** A dropdown of `values` that refuses anything else a person types (SLT's own columns). */
// doc: https://developers.google.com/apps-script/reference/spreadsheet/data-validation-builder
export function dropdownRule(
  app: GoogleAppsScript.Spreadsheet.SpreadsheetApp,
  values: readonly string[],
): GoogleAppsScript.Spreadsheet.DataValidation {
  return app
    .newDataValidation()
    .requireValueInList([...values], true)
    .setAllowInvalid(false)
    .setHelpText(`Choose one of: ${values.join(', ')}.`)
    .build();
}

/** The row's teacher and second adult, as the sheet holds them. */
function staffOf(values: readonly unknown[]): { teacher: string; secondStaff: string } {
  return { teacher: String(values[TEACHER] ?? ''), secondStaff: String(values[SECOND] ?? '') };
}

/**
 * A value read back from the sheet, to be written again unchanged: text that would be read as
 * a formula keeps its apostrophe ("=HYPERLINK(...)" was stored as text and must stay text).
 */
function rewritable(value: unknown): unknown {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? asText(value) : value;
}

/** Consecutive row numbers grouped: each group is one write. */
function runsOf(rows: readonly number[]): { first: number; last: number }[] {
  const sorted = [...new Set(rows)].sort((a, b) => a - b);
  const runs: { first: number; last: number }[] = [];
  for (const r of sorted) {
    const last = runs[runs.length - 1];
    if (last && last.last + 1 === r) last.last = r;
    else runs.push({ first: r, last: r });
  }
  return runs;
}
