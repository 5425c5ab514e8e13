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
import type {
  FollowUps,
  IncidentQueue,
  LessonStore,
  StoreUsage,
  TeacherLogQueue,
} from '../core/ports';
import type { TeacherLogEntry } from '../core/teacher-log';
import { decodeLesson, encodeLesson } from './lesson-codec';

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

/**
 * What the store may hold. Script properties hold 500 KB in all; lessons may take at most
 * LESSONS_CAP of it, and a lesson not yet in the store is refused once the store as a whole
 * passes NEW_LESSON_CEILING, so the records that keep lessons safe (run leases, the mail queue,
 * incidents on their way to the DSL's log, updates to lessons already running) always find room.
 */
export const STORE_LIMIT = 500_000;
export const LESSONS_CAP = 360_000;
export const NEW_LESSON_CEILING = 430_000;

export class PropertyLessonStore implements LessonStore, TeacherLogQueue, FollowUps {
  /** Bytes each key took at the last full read, kept up to date by this execution's writes. */
  private sizes: Map<string, number> | null = null;

  constructor(private readonly props: GoogleAppsScript.Properties.Properties) {}

  all(): Lesson[] {
    const everything = this.props.getProperties();
    this.sizes = new Map(Object.entries(everything).map(([k, v]) => [k, k.length + v.length]));
    const lessons: Lesson[] = [];
    for (const [key, value] of Object.entries(everything)) {
      if (key.startsWith(LESSON))
        lessons.push(this.inflate(decodeLesson<Lesson>(value), (k) => everything[k] ?? null));
    }
    return lessons.sort((a, b) => a.start - b.start);
  }

  get(id: string): Lesson | undefined {
    const value = this.props.getProperty(LESSON + id);
    return value
      ? this.inflate(decodeLesson<Lesson>(value), (k) => this.props.getProperty(k))
      : undefined;
  }

  /** How full the store is (for the school's admin at 80%, R28). */
  /** How full the store is, and the lessons' share of it (R28: the admin hears when either nears full). */
  usage(): StoreUsage {
    const sizes = this.sizeMap();
    let bytes = 0;
    let lessonBytes = 0;
    let count = 0;
    for (const [key, n] of sizes) {
      bytes += n;
      if (key.startsWith(LESSON)) count += 1;
      if (key.startsWith(LESSON) || key.startsWith(ATTENDANCE)) lessonBytes += n;
    }
    return {
      bytes,
      limit: STORE_LIMIT,
      lessons: { bytes: lessonBytes, limit: LESSONS_CAP, count },
    };
  }

  put(lesson: Lesson): void {
    this.admit([lesson]);
    this.keepUnderCap();
    try {
      this.write(lesson);
    } catch (error) {
      if (!isQuotaError(error)) throw error;
      // The store is full (500 KB): make room by letting go of lessons that are done and
      // logged (the log sheet has them), oldest first, then try once more.
      if (this.makeRoom(lesson.id) === 0) throw storeFull('store');
      try {
        this.write(lesson);
      } catch (again) {
        if (isQuotaError(again)) throw storeFull('store');
        throw again;
      }
    }
  }

  putMany(lessons: readonly Lesson[]): void {
    this.admit(lessons);
    this.keepUnderCap();
    // A closed lesson with attendance still in it goes alone: its chunks need looking after.
    const chunked = (l: Lesson) => l.status === 'closed' && l.report.attendance.length > 0;
    const plain = lessons.filter((l) => !chunked(l));
    if (plain.length > 0) {
      const values: Record<string, string> = {};
      for (const l of plain) values[LESSON + l.id] = encodeLesson(l);
      try {
        this.props.setProperties(values);
        this.noteWritten(values);
      } catch (error) {
        if (!isQuotaError(error)) throw error;
        for (const l of plain) this.put(l);
      }
    }
    for (const l of lessons) if (chunked(l)) this.put(l);
  }

  /**
   * Refuses lessons new to the store once lessons fill their share, or the store as a whole
   * nears its limit, with a message a teacher can act on. Lessons already there are always let
   * through: they are running, and the safety steps must be able to record what they did.
   */
  private admit(lessons: readonly Lesson[]): void {
    const sizes = this.sizeMap();
    const fresh = lessons.filter((l) => !sizes.has(LESSON + l.id));
    if (fresh.length === 0) return;
    const adding = fresh.reduce(
      (n, l) => n + LESSON.length + l.id.length + encodeLesson(l).length,
      0,
    );
    const fits = () => {
      const { bytes, lessons } = this.usage();
      return lessons.bytes + adding <= LESSONS_CAP && bytes + adding <= NEW_LESSON_CEILING;
    };
    if (fits()) return;
    this.makeRoom(fresh[0]!.id);
    if (fits()) return;
    // Said truthfully: lessons filling their share is the teachers' to fix; the store filled by
    // something else is the admin's, and cancelling lessons would not help.
    throw storeFull(this.usage().lessons.bytes + adding > LESSONS_CAP ? 'lessons' : 'store');
  }

  private sizeMap(): Map<string, number> {
    if (!this.sizes) {
      const everything = this.props.getProperties();
      this.sizes = new Map(Object.entries(everything).map(([k, v]) => [k, k.length + v.length]));
    }
    return this.sizes;
  }

  private noteWritten(values: Record<string, string>): void {
    for (const [k, v] of Object.entries(values)) this.sizes?.set(k, k.length + v.length);
  }

  /**
   * Lessons past their share (LESSONS_CAP, counted before this write): settled ones (closed and
   * logged) leave now, oldest first, rather than when the store is full, so the mail queue, the
   * run leases and incidents on their way to the log keep their room on a busy day.
   */
  private keepUnderCap(): void {
    if (this.usage().lessons.bytes > LESSONS_CAP) this.makeRoom('');
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
      this.setOne(LESSON + lesson.id, encodeLesson(lesson));
      return;
    }
    // A closed lesson's attendance may have been stored in chunks beside it. Once it is
    // logged the lesson keeps only counts, and the chunks must go, or they would fill the store.
    const before = this.props.getProperty(LESSON + lesson.id);
    const hadChunks = before
      ? (decodeLesson<{ attendanceChunks?: number }>(before).attendanceChunks ?? 0)
      : 0;
    if (lesson.report.attendance.length === 0) {
      this.setOne(LESSON + lesson.id, encodeLesson(lesson));
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
    const values: Record<string, string> = { [LESSON + lesson.id]: encodeLesson(slim) };
    chunks.forEach((chunk, i) => {
      values[`${ATTENDANCE}${lesson.id}:${i}`] = chunk;
    });
    this.props.setProperties(values);
    this.noteWritten(values);
    for (let i = chunks.length; i < hadChunks; i++)
      this.props.deleteProperty(`${ATTENDANCE}${lesson.id}:${i}`);
  }

  remove(id: string): void {
    const value = this.props.getProperty(LESSON + id);
    const chunks = value
      ? (decodeLesson<{ attendanceChunks?: number }>(value).attendanceChunks ?? 0)
      : 0;
    for (let i = 0; i < chunks; i++) {
      this.props.deleteProperty(`${ATTENDANCE}${id}:${i}`);
      this.sizes?.delete(`${ATTENDANCE}${id}:${i}`);
    }
    this.props.deleteProperty(LESSON + id);
    this.sizes?.delete(LESSON + id);
  }

  private setOne(key: string, value: string): void {
    this.props.setProperty(key, value);
    this.sizes?.set(key, key.length + value.length);
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
    try {
      this.props.setProperty(RUN + name, JSON.stringify({ owner, until }));
    } catch (error) {
      // A full store must never stop the run that withdraws links and ends calls: it goes
      // ahead without its lease (those steps are safe to repeat; claiming lessons fails safe).
      if (!isQuotaError(error)) throw error;
    }
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

/** R28: why a lesson cannot be stored, in words the teacher can act on. */
function storeFull(why: 'lessons' | 'store'): ServiceFailure {
  return new ServiceFailure(
    'permanent',
    'store',
    why === 'lessons'
      ? 'The lesson store is full: too many lessons are scheduled ahead. Schedule fewer lessons in advance, or ask SLT to cancel unneeded ones.'
      : "The script's store is full (500 KB), and not with lessons: the school's admin has been told and must make room. Nothing was scheduled; please try again later.",
  );
}
