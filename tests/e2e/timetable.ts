// A timetable of lessons and the people in them, for the demo, the soak and the
// benches: teachers schedule through the sidebar, then each simulated minute the
// teacher joins when they planned to (from the link in their email), the second
// adult and pupils join once they can see the link on Classroom, and the teacher
// admits whoever knocks. Nobody clicks "end": the automation must.

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
  lessonId: string | null;
}

interface Presence {
  link: string | null;
  teacherIn: boolean;
  teacherJoinedAt: number | null;
  assistantIn: boolean;
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
      link: null,
      teacherIn: false,
      teacherJoinedAt: null,
      assistantIn: false,
      joined: new Set(),
    });
    return lesson;
  }

  /** Runs the world minute by minute until `until`, people acting between the automation's ticks. */
  runUntil(until: number, everyMinute?: () => void): void {
    const { ws } = this.school;
    while (ws.now() < until) {
      // People act at a different second of each minute, not always just after a trigger run.
      const phase = Math.floor(this.random() * MIN);
      this.school.advance(Math.min(phase, until - ws.now()));
      this.act();
      everyMinute?.();
      this.school.advance(Math.min(MIN - phase, until - ws.now()));
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
      p.link ??= this.linkFromEmail(plan);
      if (
        p.link &&
        !p.teacherIn &&
        plan.teacherJoins !== null &&
        now >= plan.start + plan.teacherJoins * MIN &&
        now < plan.start + plan.minutes * MIN
      ) {
        p.teacherIn = ws.meet.join(teacher, p.link) === 'joined';
        if (p.teacherIn) p.teacherJoinedAt = now;
      }
      if (!p.teacherIn || !p.link) continue;
      const admit = (who: string | { anonymous: string }) => {
        const outcome = ws.meet.join(who, p.link!);
        if (outcome === 'knocking') ws.meet.admit(teacher, p.link!, who);
        return outcome !== 'refused';
      };
      if (!p.assistantIn && now >= plan.start - 2 * MIN)
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

  /** When the teacher got into the call, or null. */
  teacherJoinedAt(plan: PlannedLesson): number | null {
    return this.presence.get(plan)?.teacherJoinedAt ?? null;
  }

  /** The link the teacher was emailed when their room opened. */
  private linkFromEmail(plan: PlannedLesson): string | null {
    const mail = this.school.ws.mail
      .outbox()
      .find(
        (m) =>
          m.to.includes(plan.course.teacher.email) &&
          m.subject === `Your room for ${plan.title} is open`,
      );
    return mail ? (/https:\/\/meet\.google\.com\/\S+/.exec(mail.body)?.[0] ?? null) : null;
  }
}
