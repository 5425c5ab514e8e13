// The mail queue in script properties (issue 9): one property a notice, so executions add
// notices without a lock and without overwriting one another. A notice keeps its key for its
// whole life: waiting, then (in one write) the record of how it left, until the automation has
// put that record in the Mail sheet. The day's counters and pacing marks are one more property.
// doc: https://developers.google.com/apps-script/guides/services/quotas (Properties value size 9 KB, total 500 KB)

import type { MailRecord, MailState } from '../core/mail-ledger';
import type { QueuedMail } from '../core/mail-plan';

const NOTICE = 'mailq:';
const STATE = 'mailstate';
/** An execution that is handing email to MailApp now (so an unclear answer is judged honestly). */
const SENDER = 'mailsend:';

/** What a notice's property holds: the notice waiting, or the record of how it ended. */
export type StoredNotice = QueuedMail | { done: MailRecord };

export interface QueueSnapshot {
  waiting: QueuedMail[];
  done: MailRecord[];
  state: MailState | null;
  /** Executions sending now, by key: whose account and until when. */
  senders: Map<string, { user: string; until: number }>;
  /** Bytes the queue takes in the store (keys and values). */
  bytes: number;
}

export class MailQueueStore {
  constructor(private readonly props: GoogleAppsScript.Properties.Properties) {}

  /** Everything the queue holds, in one read. */
  read(): QueueSnapshot {
    const all = this.props.getProperties();
    const waiting: QueuedMail[] = [];
    const done: MailRecord[] = [];
    const senders = new Map<string, { user: string; until: number }>();
    let bytes = 0;
    let state: MailState | null = null;
    for (const [key, value] of Object.entries(all)) {
      if (key.startsWith(NOTICE)) {
        bytes += key.length + value.length;
        const stored = parse<StoredNotice>(value);
        if (!stored) continue;
        if ('done' in stored) done.push(stored.done);
        else waiting.push(stored);
      } else if (key.startsWith(SENDER)) {
        const marker = parse<{ user: string; until: number }>(value);
        if (marker) senders.set(key, marker);
      } else if (key === STATE) state = parse<MailState>(value);
    }
    return { waiting, done, state, senders, bytes };
  }

  get(id: string): StoredNotice | null {
    const value = this.props.getProperty(NOTICE + id);
    return value === null ? null : parse<StoredNotice>(value);
  }

  /** Writes notices (waiting or done) in one call. */
  put(notices: readonly StoredNotice[]): void {
    if (notices.length === 0) return;
    const values: Record<string, string> = {};
    for (const n of notices) values[NOTICE + ('done' in n ? n.done.id : n.id)] = JSON.stringify(n);
    this.props.setProperties(values);
  }

  /** Forgets notices whose record is in the Mail sheet. */
  forget(ids: readonly string[]): void {
    for (const id of ids) this.props.deleteProperty(NOTICE + id);
  }

  state(): MailState | null {
    const value = this.props.getProperty(STATE);
    return value === null ? null : parse<MailState>(value);
  }

  saveState(state: MailState): void {
    this.props.setProperty(STATE, JSON.stringify(state));
  }

  markSending(executionId: string, user: string, until: number): void {
    this.props.setProperty(SENDER + executionId, JSON.stringify({ user, until }));
  }

  doneSending(executionId: string): void {
    this.props.deleteProperty(SENDER + executionId);
  }

  /** Whether another execution of `user` says it is handing email to MailApp now. */
  othersSending(executionId: string, user: string, now: number): boolean {
    const all = this.props.getProperties();
    return Object.entries(all).some(([key, value]) => {
      if (!key.startsWith(SENDER) || key === SENDER + executionId) return false;
      const marker = parse<{ user: string; until: number }>(value);
      return marker !== null && marker.user === user && marker.until > now;
    });
  }

  /** Drops markers of executions that died while sending. */
  pruneSenders(senders: Map<string, { until: number }>, now: number): void {
    for (const [key, marker] of senders) if (marker.until <= now) this.props.deleteProperty(key);
  }
}

function parse<T>(value: string): T | null {
  try {
    return JSON.parse(value) as T;
  } catch {
    return null;
  }
}
