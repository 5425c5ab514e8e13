// R6: "The meeting link is to be put on google classroom after the teacher has joined
// the meeting" (policy 000). Sharing takes a HostInCall, which only this file can make,
// and only from the Meet API's list of people in the call right now.

import type { CallParticipant } from './participants';

declare const hostInCallBrand: unique symbol;

/** Proof that the teacher was among the current participants of the lesson's call. */
export interface HostInCall {
  readonly [hostInCallBrand]: true;
  readonly userId: string;
  readonly seenAt: number;
}

/** The proof, or undefined when the teacher is not (or no longer) in the call. */
export function verifyHostInCall(
  current: readonly CallParticipant[],
  teacherUserId: string,
  now: number,
): HostInCall | undefined {
  const present = current.some(
    (p) => p.kind === 'signed-in' && p.userId === teacherUserId && p.lastLeft === null,
  );
  return present ? ({ userId: teacherUserId, seenAt: now } as unknown as HostInCall) : undefined;
}
