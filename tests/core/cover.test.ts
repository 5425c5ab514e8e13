// R11, R21: a colleague added to the class after the lesson was scheduled comes to cover when
// the teacher drops out. The class's teachers are read once a gap (pupils without staff), and
// the ones not yet on the lesson become its co-teachers, so the room lets them in and the call
// counts them as staff.

import { coverDue, coverToAdd, noteCoverRead } from '../../src/core/cover';
import { type InCall, NO_IN_CALL, openGap } from '../../src/core/in-call';
import { noteInCall, type OpenLesson } from '../../src/core/lesson';
import { dueActions } from '../../src/core/lifecycle-plan';
import {
  min,
  openLesson,
  SETTINGS,
  START,
  scheduledLesson,
  sharedLesson,
  TEACHER_ID,
} from './lesson-factory';

const DOMAIN = SETTINGS.staffDomain;
const GAP_FROM = START + min(6);

function withGap(lesson: OpenLesson, gap: Partial<InCall['gaps'][number]> = {}): OpenLesson {
  return noteInCall(lesson, {
    ...NO_IN_CALL,
    gaps: [
      {
        from: GAP_FROM,
        to: null,
        alertedAt: null,
        withdrawnAt: null,
        linkBackAt: null,
        endAskedAt: null,
        endedAt: null,
        ...gap,
      },
    ],
  });
}

const cover = { userId: '2001', name: 'Head of Year', email: `head.of.year@${DOMAIN}` };

describe('when the class’s teachers are read again', () => {
  it('reads them when a look finds pupils without staff, once for that gap', () => {
    const alone = withGap(sharedLesson());
    expect(coverDue(alone)).toBe(true);
    expect(dueActions(alone, START + min(7), SETTINGS)).toContain('admit-cover');
    const read = noteCoverRead(alone, GAP_FROM, [], START + min(7));
    expect(coverDue(read)).toBe(false);
    expect(dueActions(read, START + min(8), SETTINGS)).not.toContain('admit-cover');
  });

  it('does not read them while staff are with the class, after the gap closed, or for a lesson not open', () => {
    expect(coverDue(sharedLesson())).toBe(false);
    expect(coverDue(withGap(sharedLesson(), { to: START + min(7), closedBy: 'staff' }))).toBe(
      false,
    );
    expect(coverDue(scheduledLesson())).toBe(false);
  });

  it('reads them again for a new gap after the last one closed', () => {
    const first = noteCoverRead(withGap(sharedLesson()), GAP_FROM, [], START + min(7));
    const closed = openGap(first.inCall!)!;
    const again = noteInCall(first, {
      ...first.inCall!,
      gaps: [
        { ...closed, to: START + min(8), closedBy: 'staff' },
        { ...closed, from: START + min(15), to: null, coverReadAt: undefined },
      ],
    });
    expect(coverDue(again)).toBe(true);
  });
});

describe('who may cover', () => {
  it('adds a teacher of the class the lesson does not know yet, with their address for the room', () => {
    const lesson = withGap(sharedLesson());
    const added = coverToAdd(
      lesson,
      [{ userId: TEACHER_ID, name: 'Ms Teacher', email: lesson.teacher }, cover, cover],
      DOMAIN,
    );
    expect(added).toEqual([{ userId: '2001', name: 'Head of Year', email: cover.email }]);
  });

  it('leaves out the lesson’s own teacher and co-teachers, and anyone outside the school', () => {
    const lesson = withGap(
      openLesson({ coTeachers: [{ userId: '2001', name: 'Head of Year', email: cover.email }] }),
    );
    const outsider = { userId: '3001', name: 'Visitor', email: 'visitor@elsewhere.example' };
    const noAddress = { userId: '3002', name: 'Hidden', email: null };
    expect(coverToAdd(lesson, [cover, outsider, noAddress], DOMAIN)).toEqual([]);
  });

  it('notes the read on its own gap and keeps the cover as a co-teacher, once', () => {
    const lesson = withGap(sharedLesson());
    const [added] = coverToAdd(lesson, [cover], DOMAIN);
    const read = noteCoverRead(lesson, GAP_FROM, [added!], START + min(7));
    expect(read.coTeachers).toEqual([added]);
    expect(openGap(read.inCall!)?.coverReadAt).toBe(START + min(7));
    expect(noteCoverRead(read, GAP_FROM, [added!], START + min(8)).coTeachers).toEqual([added]);
    // A read made for a gap that has since been replaced marks nothing.
    const other = noteCoverRead(lesson, GAP_FROM - min(1), [], START + min(7));
    expect(openGap(other.inCall!)?.coverReadAt).toBeUndefined();
  });
});
