// Who is who in a call (R11, R14): the host, staff, the class's pupils, other school
// accounts (uninvited) and outsiders. Rosters come from Classroom; accounts that are
// on neither list are looked up in the school's directory, once each.

import type { Lesson } from '../core/lesson';
import type { RosterPupil } from '../core/lesson-report';
import type { CallParticipant } from '../core/participants';
import { isOnDomain } from '../core/schedule-policy';
import type { Deps } from './deps';

export interface People {
  roster: RosterPupil[];
  staff: Map<string, string>;
  external: Set<string>;
}

export function knowPeople(
  deps: Deps,
  lesson: Lesson,
  participants: readonly CallParticipant[],
): People {
  const pupils = deps.classes.pupils(lesson.teacher, lesson.courseId);
  const teachers = deps.classes.teachers(lesson.teacher, lesson.courseId);
  const staff = new Map<string, string>(teachers.map((t) => [t.userId, t.name]));
  if (lesson.secondStaffUserId && lesson.secondStaff && !staff.has(lesson.secondStaffUserId)) {
    staff.set(lesson.secondStaffUserId, lesson.secondStaff);
  }
  const roster: RosterPupil[] = pupils.map((p) => ({
    userId: p.userId,
    name: p.name,
    consent: deps.consent.hasConsent(p),
  }));
  const rosterIds = new Set(roster.map((p) => p.userId));
  // Pupils have school accounts too, often on the staff domain: another school account
  // counts as staff only when the school's settings name it (SLT, DSL, approvers); anyone
  // else not on this class's lists is uninvited (R14) and never the second adult (R11).
  const namedStaff = new Set(
    [...deps.settings.sltEmails, ...deps.settings.dslEmails, ...deps.settings.approvers].map((e) =>
      e.toLowerCase(),
    ),
  );
  const external = new Set<string>();
  for (const p of participants) {
    if (
      !p.userId ||
      p.userId === lesson.teacherUserId ||
      staff.has(p.userId) ||
      rosterIds.has(p.userId)
    )
      continue;
    const email = deps.directory.schoolAccount(p.userId);
    if (email === null) external.add(p.userId);
    else if (isOnDomain(email, deps.settings.staffDomain) && namedStaff.has(email.toLowerCase()))
      staff.set(p.userId, email);
  }
  return { roster, staff, external };
}
