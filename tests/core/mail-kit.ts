// What the mail tests share: the mail queue's flush planned on a fresh day (1,500 recipients
// left, a 500-recipient budget, nothing sent yet), by this execution ('me').

import { type FlushInput, planFlush, type QueuedMail } from '../../src/core/mail-plan';

/** The flush of `queue` at `now`, with what `over` says changed from a fresh day. */
export function planAt(now: number, queue: QueuedMail[], over: Partial<FlushInput> = {}) {
  return planFlush({
    queue,
    now,
    owner: 'me',
    only: null,
    usedToday: 0,
    lastSoon: {},
    realRemaining: 1500,
    budget: 500,
    ...over,
  });
}
