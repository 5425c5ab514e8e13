// What the sidebar shows for a lesson: ending asks first, the room only to its teacher while
// open, chat's state, and what an approver needs before deciding.

import { flag } from '../../src/core/flags';
import { notePupilChat } from '../../src/core/lesson';
import { approvalView, lessonView } from '../../src/core/lesson-view';
import {
  endedLesson,
  min,
  openLesson,
  ROOM,
  SETTINGS,
  START,
  scheduledLesson,
  sharedLesson,
  TEACHER,
} from './lesson-factory';

const NOW = START - min(5);

describe('lessonView', () => {
  it('offers to end a running lesson only through the confirmation (ask-end), never at once', () => {
    const view = lessonView(sharedLesson(), NOW, SETTINGS, TEACHER);
    expect(view.next).toEqual({ id: 'ask-end', label: 'End lesson for everyone' });
    const ids = [view.next!.id, ...view.more.map((m) => m.id)];
    expect(ids).not.toContain('end');
    const before = lessonView(openLesson(), NOW, SETTINGS, TEACHER);
    expect(before.next?.id).toBe('share');
    expect(before.more.map((m) => m.id)).toContain('ask-end');
  });

  it('gives the room to its teacher while the room is open, and to nobody else or after', () => {
    expect(lessonView(openLesson(), NOW, SETTINGS, TEACHER).room).toEqual({
      uri: ROOM.meetingUri,
      code: ROOM.meetingCode,
    });
    expect(lessonView(openLesson(), NOW, SETTINGS, 'someone@school.example').room).toBeNull();
    expect(lessonView(endedLesson(), NOW, SETTINGS, TEACHER).room).toBeNull();
    expect(lessonView(scheduledLesson(), NOW, SETTINGS, TEACHER).room).toBeNull();
  });

  it('shows whether pupils may chat (hosts only until the teacher turns it on)', () => {
    expect(lessonView(openLesson(), NOW, SETTINGS, TEACHER).pupilChat).toBe(false);
    const on = notePupilChat(openLesson(), true);
    expect(lessonView(on, NOW, SETTINGS, TEACHER).pupilChat).toBe(true);
    expect(lessonView(endedLesson(), NOW, SETTINGS, TEACHER).pupilChat).toBeNull();
  });

  it('writes the time as a UK teacher does', () => {
    expect(lessonView(scheduledLesson(), NOW, SETTINGS, TEACHER).when).toBe(
      'Mon 23 Nov, 10:00–10:30',
    );
  });

  it('tells an approver that their own lesson waits for another approver', () => {
    const pending = scheduledLesson({ approval: { state: 'pending' } });
    expect(lessonView(pending, NOW, SETTINGS, TEACHER).status).toBe('Awaiting approval');
    const teacherApprover = { ...SETTINGS, approvers: [...SETTINGS.approvers, TEACHER] };
    expect(lessonView(pending, NOW, teacherApprover, TEACHER).status).toBe(
      'Awaiting approval by another approver',
    );
  });
});

describe('approvalView', () => {
  it('gives teacher, class, time, second adult, flags and why, without the "awaiting approval" flag', () => {
    const lesson = scheduledLesson({
      approval: { state: 'pending' },
      secondStaff: null,
      flags: [
        flag('not-approved', 'Awaiting approval.'),
        flag('no-second-staff', 'No second member of staff named.'),
      ],
    });
    const view = approvalView(lesson, NOW, SETTINGS);
    expect(view).toMatchObject({
      title: 'Forces and motion',
      course: '7B Science',
      when: 'Mon 23 Nov, 10:00–10:30',
      teacher: TEACHER,
      secondStaff: 'None named: the policy needs another adult present',
      flags: ['No second member of staff named.'],
    });
    expect(view.why.join(' ')).toMatch(/agreement before any live lesson/);
    expect(view.why.join(' ')).toMatch(/flagged one thing/);
  });
});
