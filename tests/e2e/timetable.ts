// A timetable of lessons and the people in them, for the demo, the soak and the
// benches: teachers schedule through the sidebar; then the teacher joins when they
// planned to (from the room link on their Calendar event), the second adult and pupils
// join once they can see the link on Classroom, and the teacher admits whoever knocks. A plan
// may have its staff drop out (R21): they leave the call at the minute it says, and the
// teacher may come back in (a dropped connection) at a later minute.
// People act every few seconds of simulated time as world events, so they act while an
// automation run is working too, as they would in a school. Nobody clicks "end": the
// automation must.

import type { SimUser } from '../sim/kernel/directory';
import { seededRandom } from '../sim/kernel/faults';
import type { SimCourse } from '../sim/school';
import { type DeployedSchool, MIN } from './deployed-school';

export interface PlannedLesson {
  course: SimCourse;
  title: string;
  start: number;
  minutes: number;
  /** Minutes after the start the teacher joins (negative: early); null: never joins. */
  teacherJoins: number | null;
  /** Pupils who will come, and an outsider who tries to. */
  pupils: SimUser[];
  intruder: string | { anonymous: string } | null;
  /**
   * Minutes after the start the teacher, or the second adult, leaves the call and does not come
   * back (R21: staff drop out); absent, they stay until the call is ended.
   */
  staffLeave?: { teacher?: number; assistant?: number };
  /**
   * Minutes after the start the teacher, having left (`staffLeave.teacher`), joins the call
   * again, if the room still lets them in; absent, they stay out.
   */
  staffBack?: { teacher: number };
  lessonId: string | null;
}

/** How often people look at Calendar and Classroom and act (simulated seconds). */
const PEOPLE_ACT_EVERY_MS = 10_000;

interface Presence {
  /** The second of the minute this teacher joins at (people do not all act on the minute). */
  joinSecond: number;
  link: string | null;
  teacherIn: boolean;
  teacherJoinedAt: number | null;
  assistantIn: boolean;
  /** Left as planned (`staffLeave`): they join again only as `staffBack` says. */
  teacherLeft: boolean;
  assistantLeft: boolean;
  /** When the teacher tried to come back (`staffBack`), and whether the room let them in. */
  teacherBack: { at: number; joined: boolean } | null;
  /** When the last member of staff left the call, and whether anyone else was still in it. */
  staffGone: { at: number; othersIn: string[] } | null;
  joined: Set<string>;
}

export class Timetable {
  readonly lessons: PlannedLesson[] = [];
  private presence = new Map<PlannedLesson, Presence>();

  private readonly random = seededRandom(7);

  constructor(private readonly school: DeployedSchool) {}

  /** The teacher schedules it from the sidebar; returns the plan with its lesson id. */
  add(plan: Omit<PlannedLesson, 'lessonId'>): PlannedLesson {
    const sidebar = this.school.sidebar(plan.course.teacher.email);
    const result = sidebar.schedule({
      title: plan.title,
      start: plan.start,
      minutes: plan.minutes,
      secondStaff: plan.course.assistant.email,
      courseId: plan.course.id,
    });
    const lesson = { ...plan, lessonId: result.lessonId };
    this.lessons.push(lesson);
    this.presence.set(lesson, {
      joinSecond: Math.floor(this.random() * 60),
      link: null,
      teacherIn: false,
      teacherJoinedAt: null,
      assistantIn: false,
      teacherLeft: false,
      assistantLeft: false,
      teacherBack: null,
      staffGone: null,
      joined: new Set(),
    });
    return lesson;
  }

  /**
   * Runs the world until `until`. People act every few simulated seconds as world events (so
   * also while an automation run is working); `everyMinute` runs once a minute between runs.
   */
  runUntil(until: number, everyMinute?: () => void): void {
    const { ws } = this.school;
    const clock = ws.kernel.clock;
    for (let at = ws.now() + PEOPLE_ACT_EVERY_MS; at <= until; at += PEOPLE_ACT_EVERY_MS)
      clock.schedule(at, 'people act', () => this.act());
    while (ws.now() < until) {
      this.school.advance(Math.min(MIN, until - ws.now()));
      everyMinute?.();
    }
  }

  private act(): void {
    const { ws } = this.school;
    const now = ws.now();
    for (const plan of this.lessons) {
      if (
        !plan.lessonId ||
        now < plan.start - 15 * MIN ||
        now > plan.start + plan.minutes * MIN + 10 * MIN
      )
        continue;
      const p = this.presence.get(plan)!;
      const teacher = plan.course.teacher.email;
      p.link ??= this.linkFromCalendar(plan);
      if (
        p.link &&
        !p.teacherIn &&
        !p.teacherLeft &&
        plan.teacherJoins !== null &&
        now >= plan.start + plan.teacherJoins * MIN + p.joinSecond * 1000 &&
        now < plan.start + plan.minutes * MIN
      ) {
        p.teacherIn = ws.meet.join(teacher, p.link) === 'joined';
        if (p.teacherIn) p.teacherJoinedAt = now;
      }
      if (p.link) this.staffLeave(plan, p, now);
      if (p.link) this.teacherComesBack(plan, p, now);
      if (!p.teacherIn || !p.link) continue;
      const admit = (who: string | { anonymous: string }) => {
        const outcome = ws.meet.join(who, p.link!);
        if (outcome === 'knocking') ws.meet.admit(teacher, p.link!, who);
        return outcome !== 'refused';
      };
      if (!p.assistantIn && !p.assistantLeft && now >= plan.start - 2 * MIN)
        p.assistantIn = admit(plan.course.assistant.email);
      const posted = ws.classroom.announcementsVisibleTo(
        plan.pupils[0]?.email ?? teacher,
        plan.course.id,
      );
      const visible = posted.map((a) => a.materials?.[0]?.link?.url).find((url) => url === p.link);
      if (!visible) continue;
      for (const pupil of plan.pupils) {
        if (!p.joined.has(pupil.email) && now >= plan.start) {
          if (admit(pupil.email)) p.joined.add(pupil.email);
        }
      }
      if (plan.intruder && !p.joined.has('intruder') && now >= plan.start + 5 * MIN) {
        if (admit(plan.intruder)) p.joined.add('intruder');
      }
    }
  }

  /** Staff whose plan says they drop out now leave the call (the teacher after the assistant). */
  private staffLeave(plan: PlannedLesson, p: Presence, now: number): void {
    const { meet } = this.school.ws;
    const due = (minutes: number | undefined) =>
      minutes !== undefined && now >= plan.start + minutes * MIN;
    if (p.assistantIn && due(plan.staffLeave?.assistant)) {
      meet.leave(plan.course.assistant.email, p.link!);
      p.assistantIn = false;
      p.assistantLeft = true;
    }
    if (p.teacherIn && !p.teacherLeft && due(plan.staffLeave?.teacher)) {
      meet.leave(plan.course.teacher.email, p.link!);
      p.teacherIn = false;
      p.teacherLeft = true;
    }
    if (p.teacherLeft && !p.assistantIn && p.staffGone === null)
      p.staffGone = { at: now, othersIn: meet.participantsNow(p.link!) };
  }

  /** A teacher who dropped out joins again at the minute `staffBack` says (once). */
  private teacherComesBack(plan: PlannedLesson, p: Presence, now: number): void {
    const back = plan.staffBack?.teacher;
    if (!p.teacherLeft || p.teacherBack !== null || back === undefined) return;
    if (now < plan.start + back * MIN) return;
    const joined = this.school.ws.meet.join(plan.course.teacher.email, p.link!) === 'joined';
    p.teacherBack = { at: now, joined };
    p.teacherIn = joined;
  }

  /** When the dropped-out teacher tried to come back, and whether they got in; or null. */
  teacherBack(plan: PlannedLesson): { at: number; joined: boolean } | null {
    return this.presence.get(plan)?.teacherBack ?? null;
  }

  /**
   * When the last member of staff left, and who was still in the call then (pupils left alone,
   * R21), or null if staff never dropped out. (The teacher may come back: `teacherBack`.)
   */
  staffGone(plan: PlannedLesson): { at: number; othersIn: string[] } | null {
    return this.presence.get(plan)?.staffGone ?? null;
  }

  /** When the teacher got into the call, or null. */
  teacherJoinedAt(plan: PlannedLesson): number | null {
    return this.presence.get(plan)?.teacherJoinedAt ?? null;
  }

  /** The room's link as the teacher got it, or null: the soak watches that room's call. */
  roomOf(plan: PlannedLesson): string | null {
    return this.presence.get(plan)?.link ?? null;
  }

  /** The pupils who got into the call (not the outsider): the soak checks Attendance against them. */
  pupilsIn(plan: PlannedLesson): SimUser[] {
    const joined = this.presence.get(plan)?.joined;
    return joined ? plan.pupils.filter((p) => joined.has(p.email)) : [];
  }

  /** Whether the outsider got into the call. */
  intruderIn(plan: PlannedLesson): boolean {
    return this.presence.get(plan)?.joined.has('intruder') ?? false;
  }

  /** The room link on the teacher's Calendar event, once the automation has put it there. */
  private linkFromCalendar(plan: PlannedLesson): string | null {
    const event = this.school.ws.calendar
      .events(plan.course.teacher.email)
      .find((e) => e.extendedProperties?.private?.sllLessonId === plan.lessonId);
    const link = event?.location ?? '';
    return /^https:\/\/meet\.google\.com\/\S+$/.test(link) ? link : null;
  }
}
