// R6, R25, policy 001: a 1:1's link waits until the teacher confirms a parent/carer is in the
// room; the same pure check holds back the sidebar's share and the automation's.

import { assessCall } from '../../src/core/call-watch';
import { lessonView } from '../../src/core/lesson-view';
import {
  confirmParentPresent,
  needsParentPresent,
  PARENT_NOT_CONFIRMED,
  PARENT_PRESENT_LABEL,
  shareHeldBack,
} from '../../src/core/share-policy';
import {
  min,
  openLesson,
  person,
  SETTINGS,
  START,
  scheduledLesson,
  TEACHER,
} from './lesson-factory';

const oneToOne = { pupilsOnRoster: 1, parentPresentAt: null };

describe('a 1:1 needs a parent/carer confirmed present before its link is shared', () => {
  it('holds back the link of a class of one pupil until the teacher confirms', () => {
    expect(shareHeldBack(oneToOne, SETTINGS)).toBe(PARENT_NOT_CONFIRMED);
    expect(PARENT_NOT_CONFIRMED).toMatch(/parent\/carer is present in the room/);
    expect(shareHeldBack({ ...oneToOne, parentPresentAt: START }, SETTINGS)).toBeNull();
  });

  it('holds back nothing for a group lesson', () => {
    expect(shareHeldBack({ pupilsOnRoster: 12, parentPresentAt: null }, SETTINGS)).toBeNull();
  });

  it('holds back nothing when the school does not ask for a parent in the room', () => {
    const s = { ...SETTINGS, oneToOneParentPresent: false };
    expect(needsParentPresent(oneToOne, s)).toBe(false);
    expect(shareHeldBack(oneToOne, s)).toBeNull();
  });

  it('does not hold back a lesson stored before rosters were counted (not known to be a 1:1)', () => {
    expect(shareHeldBack({}, SETTINGS)).toBeNull();
  });
});

describe('the confirmation', () => {
  it('is kept on the lesson and shows in the log as information, not as a problem', () => {
    const lesson = openLesson({ pupilsOnRoster: 1 });
    const at = START - min(2);
    const confirmed = confirmParentPresent(lesson, at, 'Europe/London');
    expect(confirmed.parentPresentAt).toBe(at);
    expect(confirmed.version).toBeGreaterThan(lesson.version);
    expect(confirmed.flags).toEqual([
      {
        code: 'parent-present',
        severity: 'info',
        detail: '1:1: the teacher confirmed at 09:58 that a parent/carer is present in the room.',
      },
    ]);
    expect(shareHeldBack(confirmed, SETTINGS)).toBeNull();
  });
});

describe('the lesson card of a 1:1 with its room open', () => {
  it('offers the confirmation first, in place of "Share with class"', () => {
    const lesson = openLesson({ pupilsOnRoster: 1 });
    const view = lessonView(lesson, START - min(5), SETTINGS, TEACHER);
    expect(view.next).toEqual({ id: 'parent-present', label: PARENT_PRESENT_LABEL });
    expect(view.status).toMatch(/confirm a parent\/carer is present/);
  });

  it('offers "Share with class" once a parent/carer is confirmed', () => {
    const lesson = confirmParentPresent(
      openLesson({ pupilsOnRoster: 1 }),
      START - min(5),
      'Europe/London',
    );
    expect(lessonView(lesson, START - min(4), SETTINGS, TEACHER).next?.id).toBe('share');
  });

  it('is not changed for a group lesson', () => {
    const view = lessonView(openLesson({ pupilsOnRoster: 20 }), START, SETTINGS, TEACHER);
    expect(view.next?.id).toBe('share');
  });

  it('has nothing to confirm before the room opens', () => {
    const view = lessonView(
      scheduledLesson({ pupilsOnRoster: 1 }),
      START - min(60),
      SETTINGS,
      TEACHER,
    );
    expect(view.next).toBeNull();
  });
});

describe('the automation’s look at a 1:1 call', () => {
  const nobodyElse = {
    roster: new Map(),
    staff: new Map(),
    external: new Set<string>(),
    unverified: new Set<string>(),
  };
  const call = { conference: 'conferenceRecords/c1', participants: [person()] };

  it('does not share while a parent/carer is not confirmed, though the teacher is in the call', () => {
    const lesson = openLesson({ pupilsOnRoster: 1 });
    expect(assessCall(lesson, call, nobodyElse, SETTINGS, START - min(5)).share).toBeNull();
  });

  it('shares once the teacher has confirmed', () => {
    const lesson = confirmParentPresent(
      openLesson({ pupilsOnRoster: 1 }),
      START - min(6),
      'Europe/London',
    );
    expect(assessCall(lesson, call, nobodyElse, SETTINGS, START - min(5)).share).not.toBeNull();
  });
});
