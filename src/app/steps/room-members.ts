// R21: staff made members of a lesson's room come straight in, without knocking (back to the
// pupils when the teacher has dropped out too: with RESTRICTED access only the owner could let
// them in). No host powers. A refusal is logged, without names: that person then knocks, as in
// any Meet call. Used when a room opens (its second adult and co-teachers) and when a colleague
// added to the class later comes to cover (admit-cover.ts).

import { isFailure, mustRethrow } from '../../core/errors';
import type { Room } from '../../core/lesson';
import type { Deps } from '../deps';
import { googleFailureOf } from '../health';

/** A member of staff to make a member of a lesson's room (`id`: the lesson, for the log). */
export interface RoomMember {
  host: string;
  room: Room;
  email: string;
  id: string;
}

export function addRoomMembers(deps: Deps, named: readonly RoomMember[]): void {
  if (named.length === 0) return;
  let answers: (Error | null)[];
  try {
    answers = deps.rooms.addMembers(named);
  } catch (error) {
    // The rooms stand: nothing here may lose them (the staff knock instead).
    if (mustRethrow(error)) throw error;
    const why = isFailure(error) ? error.kind : 'error';
    deps.log.warn(`staff not made members of ${named.length} room(s): ${why}`);
    return;
  }
  named.forEach((n, i) => {
    const answer = answers[i];
    if (answer)
      deps.log.warn(
        `a member of staff of ${n.id} not made a member of its room: ${googleFailureOf(answer).detail}`,
      );
  });
}
