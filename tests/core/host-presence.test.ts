// R6: the link goes on Classroom only with proof that the teacher is in the call now.

import { verifyHostInCall } from '../../src/core/host-presence';
import { min, person, START, TEACHER_ID } from './lesson-factory';

const NOW = START - min(5);

describe('verifyHostInCall', () => {
  it('proves the teacher is present when their own account is in the call', () => {
    expect(verifyHostInCall([person()], TEACHER_ID, NOW)).toEqual({
      userId: TEACHER_ID,
      seenAt: NOW,
    });
  });

  it('gives no proof when nobody is in the call', () => {
    expect(verifyHostInCall([], TEACHER_ID, NOW)).toBeUndefined();
  });

  it('gives no proof once the teacher has left the call', () => {
    const left = person({ lastLeft: NOW - min(1) });
    expect(verifyHostInCall([left], TEACHER_ID, NOW)).toBeUndefined();
  });

  it('does not take someone else with the teacher’s display name as the teacher', () => {
    const impostor = person({ userId: '666', displayName: 'Ms Teacher' });
    expect(verifyHostInCall([impostor], TEACHER_ID, NOW)).toBeUndefined();
  });

  it('does not take an anonymous guest or a phone caller as the teacher', () => {
    const guest = person({ kind: 'anonymous', userId: null });
    const phone = person({ kind: 'phone', userId: null });
    expect(verifyHostInCall([guest, phone], TEACHER_ID, NOW)).toBeUndefined();
  });

  it('does not accept a non-signed-in entry even if it carries the teacher’s id', () => {
    const odd = person({ kind: 'anonymous' });
    expect(verifyHostInCall([odd], TEACHER_ID, NOW)).toBeUndefined();
  });

  it('finds the teacher among pupils and other staff', () => {
    const pupils = [person({ userId: '2001', displayName: 'A Pupil' }), person({ userId: '1002' })];
    expect(verifyHostInCall([...pupils, person()], TEACHER_ID, NOW)?.userId).toBe(TEACHER_ID);
  });
});
