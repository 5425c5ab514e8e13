// Lessons and queued teacher entries in script properties: shared by every user of the
// script, readable in one call (getProperties), 9 KB a value and 500 KB in all.
// Closed lessons drop their attendance detail once logged and leave after a week, so
// the store stays far below the limit (see README, "The code", Storage).
// doc: https://developers.google.com/apps-script/guides/services/quotas (Properties value size 9 KB, total 500 KB)

import { ServiceFailure } from '../core/errors';
import type { ClearedFollowUp } from '../core/follow-ups';
import type { FollowUp, IncidentReport } from '../core/incident';
import type { Lesson } from '../core/lesson';
import { isSettled } from '../core/lifecycle-plan';
import type { FollowUps, IncidentQueue, LessonStore, TeacherLogQueue } from '../core/ports';
import type { TeacherLogEntry } from '../core/teacher-log';

const LESSON = 'lesson:';
/** A closed lesson's attendance can outgrow one property (9 KB): it is kept in chunks beside it. */
const ATTENDANCE = 'att:';
const CHUNK_CHARS = 8_000;
const RUN = 'run:';
const QUEUE = 'tlog:';
/** Incident reports on their way to the Incidents sheet, and removed pupils to follow up (R15). */
const INCIDENT = 'incq:';
const FOLLOW_UP = 'follow:';
/** R23: marks SLT cleared, waiting to be written (with who and when) to the Follow-ups sheet. */
const CLEARED = 'followed:';

export class PropertyLessonStore implements LessonStore, TeacherLogQueue, FollowUps {
  constructor(private readonly props: GoogleAppsScript.Properties.Properties) {}

  all(): Lesson[] {
    const everything = this.props.getProperties();
    const lessons: Lesson[] = [];
    for (const [key, value] of Object.entries(everything)) {
      if (key.startsWith(LESSON))
        lessons.push(this.inflate(JSON.parse(value) as Lesson, (k) => everything[k] ?? null));
    }
    return lessons.sort((a, b) => a.start - b.start);
  }

  get(id: string): Lesson | undefined {
    const value = this.props.getProperty(LESSON + id);
    return value
      ? this.inflate(JSON.parse(value) as Lesson, (k) => this.props.getProperty(k))
      : undefined;
  }

  put(lesson: Lesson): void {
    try {
      this.write(lesson);
    } catch (error) {
      if (!isQuotaError(error)) throw error;
      // The store is full (500 KB): make room by letting go of lessons that are done and
      // logged (the log sheet has them), oldest first, then try once more.
      if (this.makeRoom(lesson.id) === 0) throw storeFull();
      try {
        this.write(lesson);
      } catch (again) {
        if (isQuotaError(again)) throw storeFull();
        throw again;
      }
    }
  }

  putMany(lessons: readonly Lesson[]): void {
    // Closed lessons go one by one: their attendance chunks need looking after.
    const plain: Lesson[] = lessons.filter((l) => l.status !== 'closed');
    if (plain.length > 0) {
      const values: Record<string, string> = {};
      for (const l of plain) values[LESSON + l.id] = JSON.stringify(l);
      try {
        this.props.setProperties(values);
      } catch (error) {
        if (!isQuotaError(error)) throw error;
        for (const l of plain) this.put(l);
      }
    }
    for (const l of lessons) if (!plain.includes(l)) this.put(l);
  }

  /** Removes settled lessons, oldest first; returns how many went. */
  private makeRoom(keep: string): number {
    const settled = this.all()
      .filter((l) => l.id !== keep && isSettled(l))
      .sort((a, b) => a.end - b.end);
    const drop = settled.slice(0, Math.max(1, Math.ceil(settled.length / 2)));
    for (const l of drop) this.remove(l.id);
    return drop.length;
  }

  private write(lesson: Lesson): void {
    if (lesson.status !== 'closed') {
      this.props.setProperty(LESSON + lesson.id, JSON.stringify(lesson));
      return;
    }
    // A closed lesson's attendance may have been stored in chunks beside it. Once it is
    // logged the lesson keeps only counts, and the chunks must go, or they would fill the store.
    const before = this.props.getProperty(LESSON + lesson.id);
    const hadChunks = before
      ? ((JSON.parse(before) as { attendanceChunks?: number }).attendanceChunks ?? 0)
      : 0;
    if (lesson.report.attendance.length === 0) {
      this.props.setProperty(LESSON + lesson.id, JSON.stringify(lesson));
      for (let i = 0; i < hadChunks; i++)
        this.props.deleteProperty(`${ATTENDANCE}${lesson.id}:${i}`);
      return;
    }
    const detail = JSON.stringify(lesson.report.attendance);
    const chunks: string[] = [];
    for (let i = 0; i < detail.length; i += CHUNK_CHARS)
      chunks.push(detail.slice(i, i + CHUNK_CHARS));
    const slim = {
      ...lesson,
      report: { ...lesson.report, attendance: [] },
      attendanceChunks: chunks.length,
    };
    const values: Record<string, string> = { [LESSON + lesson.id]: JSON.stringify(slim) };
    chunks.forEach((chunk, i) => {
      values[`${ATTENDANCE}${lesson.id}:${i}`] = chunk;
    });
    this.props.setProperties(values);
    for (let i = chunks.length; i < hadChunks; i++)
      this.props.deleteProperty(`${ATTENDANCE}${lesson.id}:${i}`);
  }

  remove(id: string): void {
    const value = this.props.getProperty(LESSON + id);
    const chunks = value
      ? ((JSON.parse(value) as { attendanceChunks?: number }).attendanceChunks ?? 0)
      : 0;
    for (let i = 0; i < chunks; i++) this.props.deleteProperty(`${ATTENDANCE}${id}:${i}`);
    this.props.deleteProperty(LESSON + id);
  }

  private inflate(lesson: Lesson, read: (key: string) => string | null): Lesson {
    const chunks = (lesson as { attendanceChunks?: number }).attendanceChunks ?? 0;
    if (lesson.status !== 'closed' || chunks === 0) return lesson;
    let detail = '';
    for (let i = 0; i < chunks; i++) detail += read(`${ATTENDANCE}${lesson.id}:${i}`) ?? '';
    const { attendanceChunks: _n, ...rest } = lesson as Lesson & { attendanceChunks?: number };
    try {
      return {
        ...(rest as Lesson & { status: 'closed' }),
        report: { ...lesson.report, attendance: JSON.parse(detail) },
      };
    } catch {
      return rest as Lesson;
    }
  }

  claimRun(name: string, owner: string, until: number, now: number): boolean {
    const held = this.props.getProperty(RUN + name);
    if (held) {
      const lease = JSON.parse(held) as { owner: string; until: number };
      if (lease.owner !== owner && lease.until > now) return false;
    }
    this.props.setProperty(RUN + name, JSON.stringify({ owner, until }));
    return true;
  }

  releaseRun(name: string, owner: string): void {
    const held = this.props.getProperty(RUN + name);
    if (held && (JSON.parse(held) as { owner: string }).owner === owner)
      this.props.deleteProperty(RUN + name);
  }

  enqueue(entry: TeacherLogEntry): void {
    this.props.setProperty(`${QUEUE}${entry.lessonId}:${entry.at}`, JSON.stringify(entry));
  }

  pending(): TeacherLogEntry[] {
    const everything = this.props.getProperties();
    return Object.entries(everything)
      .filter(([key]) => key.startsWith(QUEUE))
      .map(([, value]) => JSON.parse(value) as TeacherLogEntry)
      .sort((a, b) => a.at - b.at);
  }

  done(entries: readonly TeacherLogEntry[]): void {
    for (const e of entries) this.props.deleteProperty(`${QUEUE}${e.lessonId}:${e.at}`);
  }

  /** The incident queue, seen through its own port (the teacher-log queue has the plain names). */
  get incidents(): IncidentQueue {
    return {
      enqueue: (report) => this.props.setProperty(INCIDENT + report.id, JSON.stringify(report)),
      pending: () => this.prefixed<IncidentReport>(INCIDENT).sort((a, b) => a.at - b.at),
      done: (reports) => {
        for (const r of reports) this.props.deleteProperty(INCIDENT + r.id);
      },
    };
  }

  open(): FollowUp[] {
    return this.prefixed<FollowUp>(FOLLOW_UP).sort((a, b) => a.at - b.at);
  }

  add(followUp: FollowUp): void {
    this.props.setProperty(FOLLOW_UP + followUp.incidentId, JSON.stringify(followUp));
  }

  close(incidentIds: readonly string[]): number {
    let closed = 0;
    for (const id of incidentIds) {
      if (this.props.getProperty(FOLLOW_UP + id) === null) continue;
      this.props.deleteProperty(FOLLOW_UP + id);
      closed += 1;
    }
    return closed;
  }

  /** R23: the mark moves to the cleared list (with who and when) in one write, then leaves the open one. */
  clear(incidentId: string, by: string, at: number, how: ClearedFollowUp['how']): boolean {
    const raw = this.props.getProperty(FOLLOW_UP + incidentId);
    if (raw === null) return false;
    const cleared: ClearedFollowUp = {
      ...(JSON.parse(raw) as FollowUp),
      clearedBy: by.toLowerCase(),
      clearedAt: at,
      how,
    };
    this.props.setProperty(CLEARED + incidentId, JSON.stringify(cleared));
    this.props.deleteProperty(FOLLOW_UP + incidentId);
    return true;
  }

  cleared(): ClearedFollowUp[] {
    return this.prefixed<ClearedFollowUp>(CLEARED).sort((a, b) => a.clearedAt - b.clearedAt);
  }

  clearedLogged(incidentIds: readonly string[]): void {
    for (const id of incidentIds) this.props.deleteProperty(CLEARED + id);
  }

  private prefixed<T>(prefix: string): T[] {
    return Object.entries(this.props.getProperties())
      .filter(([key]) => key.startsWith(prefix))
      .map(([, value]) => JSON.parse(value) as T);
  }
}

function isQuotaError(error: unknown): boolean {
  const message = String((error as { message?: unknown } | null)?.message ?? error);
  return /property storage quota|Argument too large/i.test(message);
}

function storeFull(): ServiceFailure {
  return new ServiceFailure(
    'permanent',
    'store',
    'The lesson store is full: too many lessons are scheduled ahead. Schedule fewer lessons in advance, or ask SLT to cancel unneeded ones.',
  );
}
