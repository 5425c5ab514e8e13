// The soak's safety invariants, checked every simulated minute against what Google holds (the
// simulated Classroom and Meet), not against what the product believes. Issue 9: "a link live
// at its lesson's end at any moment counts; a withdrawal more than two minutes after its due
// time counts; a call running past its end plus grace plus two minutes counts". And R21: pupils
// left in a call by staff who dropped out must not stay there past the school's
// staffAbsentEndMinutes plus the same two minutes (the call is ended for them); and a teacher
// who comes back within those minutes keeps the lesson: the call is not ended on them, and a
// link taken down while the pupils were alone is back on Classroom before its withdrawal time.

import { MIN } from '../e2e/deployed-school';
import type { PlannedLesson, Timetable } from '../e2e/timetable';
import type { SimWorkspace } from '../sim/workspace';

export type ViolationKind =
  | 'link-live-after-end'
  | 'withdrawal-late'
  | 'call-past-end'
  | 'left-alone-too-long'
  | 'ended-with-staff-back'
  | 'link-not-back';

export interface Violation {
  kind: ViolationKind;
  lessonId: string;
  /** The simulated minute it was first seen. */
  at: number;
  detail: string;
}

export interface WatchPolicy {
  /** R10: the link comes off Classroom this long before the end (school setting). */
  withdrawBeforeEndMinutes: number;
  /** R10: the call is ended this long after the end (school setting). */
  endGraceMinutes: number;
  /** R21: pupils with no member of staff this long: the call is ended (school setting). */
  staffAbsentEndMinutes: number;
}

/** Slack the issue allows before a late step counts: a minute-level monitor plus one run. */
export const SLACK_MINUTES = 2;
/** How long after its end a lesson is still watched every minute (the end-of-run audit covers the rest). */
const WATCH_AFTER_END_MINUTES = 60;

export class InvariantWatch {
  readonly violations: Violation[] = [];
  /** Lessons whose link the watch saw on Classroom at or after the scheduled end (R10 alert due). */
  readonly liveAtEnd = new Set<string>();
  /** How many minutes were checked. */
  checks = 0;
  /**
   * The longest anyone stayed in a call after the last member of staff left it for good
   * (`staffLeave` in the timetable), from Meet's record (`audit`).
   */
  longestAloneMs = 0;
  private readonly seen = new Set<string>();

  constructor(
    private readonly ws: SimWorkspace,
    private readonly table: Timetable,
    private readonly lessons: readonly PlannedLesson[],
    private readonly policy: WatchPolicy,
  ) {}

  /** One look at Classroom and Meet for every lesson in its watch window. */
  check(): void {
    const now = this.ws.now();
    this.checks += 1;
    for (const plan of this.lessons) {
      const id = plan.lessonId;
      if (!id) continue;
      const end = plan.start + plan.minutes * MIN;
      this.checkAlone(plan, id, now);
      const withdrawDue = end - this.policy.withdrawBeforeEndMinutes * MIN;
      if (now < withdrawDue || now > end + WATCH_AFTER_END_MINUTES * MIN) continue;
      const live = this.livePosts(plan);
      if (live > 0 && now >= end) {
        this.liveAtEnd.add(id);
        this.record('link-live-after-end', id, now, `${live} post(s) with the link on Classroom`);
      }
      if (live > 0 && now > withdrawDue + SLACK_MINUTES * MIN)
        this.record(
          'withdrawal-late',
          id,
          now,
          `still on Classroom ${minutesAfter(now, withdrawDue)} min after it was due off`,
        );
      const room = this.table.roomOf(plan);
      const callDeadline = end + (this.policy.endGraceMinutes + SLACK_MINUTES) * MIN;
      if (room && now > callDeadline && this.ws.meet.participantsNow(room).length > 0)
        this.record(
          'call-past-end',
          id,
          now,
          `${this.ws.meet.participantsNow(room).length} still in the call ${minutesAfter(now, end)} min after the end`,
        );
    }
  }

  /**
   * R21 from Meet's record: how long after the last member of staff left the last one of the
   * others left the call (or it was ended for them). The minute checks see less than this: a
   * run that ends the call keeps its own clock, so the check after it may already see the call
   * ended though the end came later in simulated time.
   */
  private auditAlone(plan: PlannedLesson, id: string): void {
    const gone = this.table.staffGone(plan);
    const room = this.table.roomOf(plan);
    if (!gone || !room || gone.othersIn.length === 0) return;
    const space = String(this.ws.meet.spaceInfo(room).name).replace(/^spaces\//, '');
    const staff = [plan.course.teacher.email, plan.course.assistant.email].map(
      (e) => `user:${e.toLowerCase()}`,
    );
    const call = [...this.ws.meet.conferences.values()].find(
      (c) => c.spaceId === space && c.startTime <= gone.at && (c.endTime ?? Infinity) >= gone.at,
    );
    if (!call) return;
    // The teacher back in the call ends the pupils' time alone (`staffBack`).
    const back = this.table.teacherBack(plan);
    const lastOut = Math.min(
      back?.joined ? back.at : Number.POSITIVE_INFINITY,
      Math.max(
        ...call.participants
          .filter((p) => !staff.includes(p.key))
          .flatMap((p) => p.sessions.map((s) => s.endTime ?? Number.POSITIVE_INFINITY)),
      ),
    );
    const aloneMs = lastOut - gone.at;
    this.longestAloneMs = Math.max(this.longestAloneMs, aloneMs);
    const deadline = gone.at + (this.policy.staffAbsentEndMinutes + SLACK_MINUTES) * MIN;
    if (lastOut > deadline)
      this.record(
        'left-alone-too-long',
        id,
        deadline,
        Number.isFinite(lastOut)
          ? `others still in the call ${late(lastOut, gone.at)} after the last member of staff left`
          : 'others still in the call at the end of the run, after the last member of staff left',
      );
  }

  /**
   * R21, a teacher who dropped out and came back in (`staffBack`), from Meet's and Classroom's
   * records: the call must not have been ended for staff absence after they were back (only an
   * outsider would end it early), and a link taken down during the gap must have gone back on
   * Classroom before its withdrawal time, if they were back two minutes before it.
   */
  private auditBack(plan: PlannedLesson, id: string): void {
    const gone = this.table.staffGone(plan);
    const back = this.table.teacherBack(plan);
    const room = this.table.roomOf(plan);
    if (!gone || !back?.joined || !room || this.table.intruderIn(plan)) return;
    const end = plan.start + plan.minutes * MIN;
    const space = String(this.ws.meet.spaceInfo(room).name).replace(/^spaces\//, '');
    const call = [...this.ws.meet.conferences.values()].find(
      (c) => c.spaceId === space && c.startTime <= back.at && (c.endTime ?? Infinity) >= back.at,
    );
    if (call?.endTime !== undefined && call.endTime < end)
      this.record(
        'ended-with-staff-back',
        id,
        call.endTime,
        `the call was ended ${late(call.endTime, back.at)} after the teacher came back`,
      );
    const withdrawDue = end - this.policy.withdrawBeforeEndMinutes * MIN;
    if (back.at > withdrawDue - SLACK_MINUTES * MIN) return;
    const history = this.posts(plan).map((post) => ({
      on: Date.parse(post.history.find((h) => h.action === 'created')?.at ?? ''),
      off: post.history.find((h) => h.action === 'deleted')?.at,
    }));
    const takenDown = history
      .map((h) => (h.off ? Date.parse(h.off) : Number.NaN))
      // (The link's own withdrawal may come a little before its time: not counted here.)
      .filter((off) => off >= gone.at && off < withdrawDue - SLACK_MINUTES * MIN);
    if (takenDown.length === 0) return;
    const lastDown = Math.max(...takenDown);
    if (!history.some((h) => h.on >= lastDown && h.on < withdrawDue))
      this.record(
        'link-not-back',
        id,
        withdrawDue,
        `taken down during the gap; the teacher was back ${late(withdrawDue, back.at)} before its withdrawal time and it never went back up`,
      );
  }

  /** R21: someone is still in the call the staff left, past the time it should have ended. */
  private checkAlone(plan: PlannedLesson, id: string, now: number): void {
    const gone = this.table.staffGone(plan);
    const room = this.table.roomOf(plan);
    if (!gone || !room || gone.othersIn.length === 0) return;
    const staff = [plan.course.teacher.email, plan.course.assistant.email];
    const people = this.ws.meet.participantsNow(room);
    const inCall = people.length;
    if (inCall === 0 || people.some((p) => staff.includes(p))) return;
    if (now > gone.at + (this.policy.staffAbsentEndMinutes + SLACK_MINUTES) * MIN)
      this.record(
        'left-alone-too-long',
        id,
        now,
        `${inCall} in the call ${minutesAfter(now, gone.at)} min after the last member of staff left`,
      );
  }

  /**
   * The same invariants from the record Google keeps, at the end of the run: every post's
   * history, whenever it happened (a post made after the watch window closed still counts), and
   * Meet's record of when each person's session in a call their staff left ended.
   */
  audit(): void {
    for (const plan of this.lessons) {
      const id = plan.lessonId;
      if (!id) continue;
      this.auditAlone(plan, id);
      this.auditBack(plan, id);
      const end = plan.start + plan.minutes * MIN;
      const withdrawDue = end - this.policy.withdrawBeforeEndMinutes * MIN;
      for (const post of this.posts(plan)) {
        const created = post.history.find((h) => h.action === 'created');
        const deleted = post.history.find((h) => h.action === 'deleted');
        const off = deleted ? Date.parse(deleted.at) : Number.POSITIVE_INFINITY;
        const on = created ? Date.parse(created.at) : 0;
        if (off > end) {
          this.liveAtEnd.add(id);
          this.record(
            'link-live-after-end',
            id,
            Math.max(end, on),
            deleted ? `deleted ${late(off, end)} after the end` : 'never deleted',
          );
        }
        if (off > withdrawDue + SLACK_MINUTES * MIN)
          this.record(
            'withdrawal-late',
            id,
            Math.max(withdrawDue + SLACK_MINUTES * MIN, on),
            deleted ? `deleted ${late(off, withdrawDue)} after it was due off` : 'never deleted',
          );
      }
    }
  }

  /** Distinct lessons per kind. */
  counts(): Record<ViolationKind, number> {
    const out: Record<ViolationKind, number> = {
      'link-live-after-end': 0,
      'withdrawal-late': 0,
      'call-past-end': 0,
      'left-alone-too-long': 0,
      'ended-with-staff-back': 0,
      'link-not-back': 0,
    };
    for (const v of this.violations) out[v.kind] += 1;
    return out;
  }

  private record(kind: ViolationKind, lessonId: string, at: number, detail: string): void {
    const key = `${kind} ${lessonId}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.violations.push({ kind, lessonId, at, detail });
  }

  /** Posts that carry the lesson's room link, or the product's marker for the lesson. */
  private posts(plan: PlannedLesson) {
    const room = this.table.roomOf(plan);
    return this.ws.classroom.allAnnouncements(plan.course.id).filter((a) => {
      const text = a.text ?? '';
      return (
        text.includes(`(lesson ${plan.lessonId})`) ||
        (room !== null &&
          (text.includes(room) || (a.materials ?? []).some((m) => m.link?.url === room)))
      );
    });
  }

  private livePosts(plan: PlannedLesson): number {
    return this.posts(plan).filter((p) => !p.history.some((h) => h.action === 'deleted')).length;
  }
}

function late(at: number, due: number): string {
  const s = Math.round((at - due) / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

function minutesAfter(now: number, since: number): number {
  return Math.round((now - since) / MIN);
}
