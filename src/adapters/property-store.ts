// Lessons, with the runs' leases, in script properties: shared by every user of the
// script, readable in one call (getProperties), 9 KB a value and 500 KB in all.
// Closed lessons drop their attendance detail once logged and leave after a week, so
// the store stays far below the limit (see README, "The code", Storage). Lessons scheduled
// more than a day ahead are packed many to a property once lessons pass 70% of their share
// (`lesson-packs.ts`), so a full-size school can schedule its week: a packed lesson is read,
// changed and removed as any other, and leaves its pack when a change finds it claimed, begun
// or within a day of its start.
// doc: https://developers.google.com/apps-script/guides/services/quotas (Properties value size 9 KB, total 500 KB)

import { ServiceFailure } from '../core/errors';
import type { Lesson } from '../core/lesson';
import { isSettled } from '../core/lifecycle-plan';
import type { LessonStore, StoreUsage } from '../core/ports';
import { decodeLesson, encodeLesson } from './lesson-codec';
import { MAX_PACK_CHARS, packRecords, packsOf, unpackRecords } from './lesson-packs';

const LESSON = 'lesson:';
/** Packs of lessons scheduled far ahead: `ahead:<n>`. A lesson stored on its own wins over a packed copy. */
const AHEAD = 'ahead:';
/** Lessons starting sooner than this are not packed: they will be claimed and changed soon. */
const PACK_AFTER_MS = 24 * 3600_000;
/** Once lessons pass this share of LESSONS_CAP, lessons far ahead are packed as new ones come... */
const PACK_AT = 0.7;
/** ...until they are back under this share, so that most new lessons need no packing. */
const PACK_DOWN_TO = 0.6;
/** A packing stops once it has packed this many lessons (a write a pack, and a delete a lesson). */
const PACK_BATCH = 120;
/** A closed lesson's attendance can outgrow one property (9 KB): it is kept in chunks beside it. */
const ATTENDANCE = 'att:';
const CHUNK_CHARS = 8_000;
const RUN = 'run:';

/**
 * What the store may hold. Script properties hold 500 KB in all; lessons may take at most
 * LESSONS_CAP of it, and a lesson not yet in the store is refused once the store as a whole
 * passes NEW_LESSON_CEILING, so the records that keep lessons safe (run leases, the mail queue,
 * incidents on their way to the DSL's log, updates to lessons already running) always find room.
 */
export const STORE_LIMIT = 500_000;
export const LESSONS_CAP = 360_000;
export const NEW_LESSON_CEILING = 430_000;

export class PropertyLessonStore implements LessonStore {
  /** Bytes each key took at the last full read, kept up to date by this execution's writes. */
  private sizes: Map<string, number> | null = null;
  /** The packs as last read (pack key -> lesson id -> record), kept up to date by this execution's writes. */
  private packs: Map<string, Map<string, string>> | null = null;
  /** Packs already unpacked in this execution, by their value. */
  private readonly unpacked = new Map<string, Map<string, string>>();
  private readonly teachers = new WeakMap<ReadonlyMap<string, string>, string | null>();
  private readonly decoded = new Map<string, Lesson>();

  constructor(
    private readonly props: GoogleAppsScript.Properties.Properties,
    private readonly now: () => number = () => Date.now(),
  ) {}

  all(): Lesson[] {
    const everything = this.props.getProperties();
    this.remember(everything);
    const lessons: Lesson[] = [];
    for (const [key, value] of Object.entries(everything)) {
      if (key.startsWith(LESSON))
        lessons.push(this.inflate(decodeLesson<Lesson>(value), (k) => everything[k] ?? null));
    }
    const seen = new Set<string>();
    for (const records of this.packs!.values())
      for (const [id, record] of records)
        if (!(LESSON + id in everything) && !seen.has(id)) {
          seen.add(id);
          lessons.push(this.packedLesson(record));
        }
    return lessons.sort((a, b) => a.start - b.start);
  }

  get(id: string): Lesson | undefined {
    const value = this.props.getProperty(LESSON + id);
    if (value) return this.inflate(decodeLesson<Lesson>(value), (k) => this.props.getProperty(k));
    const record = this.packedRecord(id);
    return record ? this.packedLesson(record) : undefined;
  }

  /**
   * A packed record decoded once per execution: a run reads the store several times, and a
   * school's week ahead is thousands of packed lessons. Lessons are never changed in place
   * (every change makes a new one), so the same object can be handed out again.
   */
  private packedLesson(record: string): Lesson {
    let lesson = this.decoded.get(record);
    if (!lesson) {
      lesson = decodeLesson<Lesson>(record);
      this.decoded.set(record, lesson);
    }
    return lesson;
  }

  /**
   * A lesson not stored on its own may be in a pack: the pack this execution last saw it in is
   * read alone; failing that, every pack is read afresh (another execution may have packed it).
   */
  private packedRecord(id: string): string | null {
    const hinted = this.packOf(id);
    if (hinted) {
      const value = this.props.getProperty(hinted);
      const records = value ? this.unpack(value) : null;
      if (records) this.packs!.set(hinted, records);
      else this.packs!.delete(hinted);
      const record = records?.get(id);
      if (record) return record;
    }
    this.remember(this.props.getProperties());
    const again = this.packOf(id);
    return again ? (this.packs!.get(again)!.get(id) ?? null) : null;
  }

  /** Which pack holds `id`, as this execution last saw the packs (null: none, or not read yet). */
  private packOf(id: string): string | null {
    for (const [key, records] of this.packs ?? []) if (records.has(id)) return key;
    return null;
  }

  /** Sizes and packs from one full read of the store. */
  private remember(everything: Record<string, string>): void {
    this.sizes = new Map(Object.entries(everything).map(([k, v]) => [k, k.length + v.length]));
    this.packs = new Map();
    for (const [key, value] of Object.entries(everything))
      if (key.startsWith(AHEAD)) {
        const records = this.unpack(value);
        if (records) this.packs.set(key, records);
      }
  }

  /**
   * A pack's records by lesson id (remembered by value, so each is unpacked once per
   * execution). assumption: packs are written only by this store; one that cannot be read
   * (edited by hand) is left alone rather than stop every lesson being read.
   */
  private unpack(value: string): Map<string, string> | null {
    const known = this.unpacked.get(value);
    if (known) return known;
    let records: string[];
    try {
      records = unpackRecords(value);
    } catch {
      return null;
    }
    const byId = new Map(records.map((r) => [decodeLesson<{ id: string }>(r).id, r]));
    this.unpacked.set(value, byId);
    return byId;
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
      if (key.startsWith(LESSON) || key.startsWith(ATTENDANCE) || key.startsWith(AHEAD))
        lessonBytes += n;
    }
    const packed = new Set<string>();
    for (const records of this.packs?.values() ?? [])
      for (const id of records.keys()) if (!sizes.has(LESSON + id)) packed.add(id);
    count += packed.size;
    return {
      bytes,
      limit: STORE_LIMIT,
      lessons: { bytes: lessonBytes, limit: LESSONS_CAP, count },
    };
  }

  put(lesson: Lesson): void {
    this.admit([lesson]);
    this.keepUnderCap();
    if (this.keptInPacks([lesson]).length === 0) return;
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
    this.leavePacks([lesson.id]);
  }

  putMany(lessons: readonly Lesson[]): void {
    this.admit(lessons);
    this.keepUnderCap();
    const alone = this.keptInPacks(lessons);
    // A closed lesson with attendance still in it goes alone: its chunks need looking after.
    const chunked = (l: Lesson) => l.status === 'closed' && l.report.attendance.length > 0;
    const plain = alone.filter((l) => !chunked(l));
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
      this.leavePacks(plain.map((l) => l.id));
    }
    for (const l of alone) if (chunked(l)) this.put(l);
  }

  /** Far ahead, not claimed by anyone, not yet begun: such a lesson may live in a pack. */
  private packable(lesson: Lesson, now: number): boolean {
    return (
      lesson.status === 'scheduled' &&
      (lesson.lease === null || lesson.lease.until <= now) &&
      lesson.start - now > PACK_AFTER_MS
    );
  }

  /**
   * Writes the packed lessons that may stay packed into their packs (one write a pack); returns
   * the others, which the caller stores on their own (and takes out of their packs).
   */
  private keptInPacks(lessons: readonly Lesson[]): Lesson[] {
    if (!this.packs || this.packs.size === 0) return [...lessons];
    const now = this.now();
    const byPack = new Map<string, Lesson[]>();
    const alone: Lesson[] = [];
    for (const lesson of lessons) {
      const pack = this.sizes?.has(LESSON + lesson.id) ? null : this.packOf(lesson.id);
      if (pack && this.packable(lesson, now))
        byPack.set(pack, [...(byPack.get(pack) ?? []), lesson]);
      else alone.push(lesson);
    }
    for (const [key, changed] of byPack) {
      const records = new Map(this.packs.get(key)!);
      for (const l of changed) records.set(l.id, encodeLesson(l));
      const value = packRecords([...records.values()]);
      // A pack the change would make too big: its changed lessons are stored on their own.
      if (value.length > MAX_PACK_CHARS) {
        alone.push(...changed);
        continue;
      }
      this.setOne(key, value);
      this.packs.set(key, this.unpack(value)!);
    }
    return alone;
  }

  /** Takes lessons now stored on their own out of their packs (a pack left empty goes). */
  private leavePacks(ids: readonly string[]): void {
    if (!this.packs || this.packs.size === 0) return;
    const byPack = new Map<string, string[]>();
    for (const id of ids) {
      const pack = this.packOf(id);
      if (pack) byPack.set(pack, [...(byPack.get(pack) ?? []), id]);
    }
    for (const [key, leaving] of byPack) {
      const records = new Map(this.packs.get(key)!);
      for (const id of leaving) records.delete(id);
      if (records.size === 0) {
        this.props.deleteProperty(key);
        this.sizes?.delete(key);
        this.packs.delete(key);
        continue;
      }
      const value = packRecords([...records.values()]);
      this.setOne(key, value);
      this.packs.set(key, this.unpack(value)!);
    }
  }

  /**
   * Packs lessons far ahead (none starting within a day, none claimed), a teacher's together:
   * the teachers with the most such lessons first, until at least PACK_BATCH lessons; each
   * teacher's join their own last pack while it has room. For each teacher, one write for their
   * packs, then a delete for each lesson packed; returns how many. Runs inside a write, so under
   * the script lock as every write of lessons is. A run killed between the two leaves a lesson
   * both packed and on its own: the one on its own wins, and nothing is lost.
   */
  private packAhead(keep: ReadonlySet<string>): number {
    const now = this.now();
    const byTeacher = new Map<string, Lesson[]>();
    for (const l of this.all())
      if (this.sizes!.has(LESSON + l.id) && !keep.has(l.id) && this.packable(l, now))
        byTeacher.set(l.teacher, [...(byTeacher.get(l.teacher) ?? []), l]);
    const groups = [...byTeacher.entries()].sort((a, b) => b[1].length - a[1].length);
    const taken = new Set([...this.sizes!.keys()].filter((k) => k.startsWith(AHEAD)));
    let next = 0;
    const newKey = () => {
      while (taken.has(AHEAD + next)) next += 1;
      taken.add(AHEAD + next);
      return AHEAD + next;
    };
    let packed = 0;
    // A pack at a time: written, then its lessons' own records deleted, so a nearly full store
    // needs room for one pack only. A write the store refuses ends the packing there.
    for (const [teacher, lessons] of groups) {
      if (packed >= PACK_BATCH) break;
      lessons.sort((a, b) => a.start - b.start);
      const records = lessons.map((l) => encodeLesson(l));
      // Their last pack, if the lessons fit in it: one teacher's records share most values.
      const owns = [...this.packs!.entries()].filter(([, r]) => this.teacherOf(r) === teacher);
      const own = owns[owns.length - 1];
      const merged = own ? packRecords([...own[1].values(), ...records]) : null;
      const steps =
        own && merged && merged.length <= MAX_PACK_CHARS
          ? [{ key: own[0], value: merged, lessons }]
          : packsOf(records).map((p, i, all) => {
              const from = all.slice(0, i).reduce((n, q) => n + q.count, 0);
              return {
                key: newKey(),
                value: p.value,
                lessons: lessons.slice(from, from + p.count),
              };
            });
      for (const step of steps) {
        try {
          this.setOne(step.key, step.value);
        } catch (error) {
          if (!isQuotaError(error)) throw error;
          return packed;
        }
        this.packs!.set(step.key, this.unpack(step.value)!);
        for (const l of step.lessons) {
          this.props.deleteProperty(LESSON + l.id);
          this.sizes!.delete(LESSON + l.id);
        }
        packed += step.lessons.length;
      }
    }
    return packed;
  }

  /** Whose lessons a pack holds (packs are made one teacher at a time); each pack asked once. */
  private teacherOf(records: ReadonlyMap<string, string>): string | null {
    if (!this.teachers.has(records)) {
      const first = records.values().next();
      this.teachers.set(
        records,
        first.done ? null : decodeLesson<{ teacher: string }>(first.value).teacher,
      );
    }
    return this.teachers.get(records) ?? null;
  }

  /**
   * Refuses lessons new to the store once lessons fill their share, or the store as a whole
   * nears its limit, with a message a teacher can act on. Lessons already there are always let
   * through: they are running, and the safety steps must be able to record what they did.
   */
  private admit(lessons: readonly Lesson[]): void {
    const sizes = this.sizeMap();
    const fresh = lessons.filter((l) => !sizes.has(LESSON + l.id) && !this.packOf(l.id));
    if (fresh.length === 0) return;
    const adding = fresh.reduce(
      (n, l) => n + LESSON.length + l.id.length + encodeLesson(l).length,
      0,
    );
    const fits = () => {
      const { bytes, lessons } = this.usage();
      return lessons.bytes + adding <= LESSONS_CAP && bytes + adding <= NEW_LESSON_CEILING;
    };
    const keep = new Set(fresh.map((l) => l.id));
    // Lessons far ahead are packed before their share nears full, so the admin's warning at
    // 80% means what it says: lessons that cannot be packed are filling it.
    const share = () => this.usage().lessons.bytes + adding;
    if (share() > PACK_AT * LESSONS_CAP)
      while (share() > PACK_DOWN_TO * LESSONS_CAP && this.packAhead(keep) > 0);
    if (fits()) return;
    this.makeRoom(fresh[0]!.id);
    while (!fits() && this.packAhead(keep) > 0);
    if (fits()) return;
    // Said truthfully: lessons filling their share is the teachers' to fix; the store filled by
    // something else is the admin's, and cancelling lessons would not help.
    throw storeFull(this.usage().lessons.bytes + adding > LESSONS_CAP ? 'lessons' : 'store');
  }

  private sizeMap(): Map<string, number> {
    if (!this.sizes) this.remember(this.props.getProperties());
    return this.sizes!;
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
    // Out of its pack first: a run killed between the two leaves the lesson, never brings back an old copy.
    if (!this.packs) this.remember(this.props.getProperties());
    this.leavePacks([id]);
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
