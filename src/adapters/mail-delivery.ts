// Hands one email to MailApp and says what became of it (issue 9): sent; refused for good (an
// address or a size MailApp will never take); MailApp's daily quota spent; or an answer lost.
// A lost answer is judged from MailApp's remaining quota read again (core/mail-plan.ts,
// `judgeLostAnswer`): Google documents no idempotency key for MailApp.
// doc: https://developers.google.com/apps-script/reference/mail/mail-app

import { mustRethrow } from '../core/errors';
import { judgeLostAnswer, type PlannedEmail } from '../core/mail-plan';
import type { OpsLog } from '../core/ports';

const SENDER_NAME = 'Safe Live Lessons';
/** doc: quotas page: going over the daily quota throws "Service invoked too many times for one day: email." */
const QUOTA_SPENT = /too many times for one day/i;
/**
 * assumption: MailApp's words for an address it cannot take ("Invalid email: ...") and for the
 * per-message limits of the quotas page; Google's reference lists the limits, not the messages.
 */
const REFUSED =
  /invalid email|invalid argument|no recipient|limit exceeded: email (recipients per message|body size)/i;

export type DeliveryOutcome =
  | { kind: 'sent' }
  /** MailApp threw, yet its quota fell by exactly this email's recipients: it left. */
  | { kind: 'left-unclear'; after: number }
  /** Not sent, or not known whether it was (retried: an unknown one may arrive twice). */
  | { kind: 'not-sent' | 'unknown'; after: number | null }
  | { kind: 'quota' }
  | { kind: 'refused'; reason: string };

export interface MailDeliveryOptions {
  mail: Pick<GoogleAppsScript.Mail.MailApp, 'sendEmail' | 'getRemainingDailyQuota'>;
  log: OpsLog;
  now: () => number;
  /** Whether another execution of the same account is sending now (its quota moves too). */
  othersSending: () => boolean;
}

export class MailDelivery {
  constructor(private readonly o: MailDeliveryOptions) {}

  /** One email to MailApp; `before` is the quota left before it, as far as this run knows. */
  deliver(
    email: Pick<PlannedEmail, 'to' | 'subject' | 'body'>,
    before: number,
    stopAt: number,
  ): DeliveryOutcome {
    try {
      this.o.mail.sendEmail({
        to: email.to.join(','),
        subject: email.subject,
        body: email.body,
        name: SENDER_NAME,
        noReply: true,
      });
      return { kind: 'sent' };
    } catch (error) {
      if (mustRethrow(error)) throw error;
      const message = error instanceof Error ? error.message : String(error);
      if (QUOTA_SPENT.test(message)) return { kind: 'quota' };
      if (REFUSED.test(message)) return { kind: 'refused', reason: message.slice(0, 200) };
      // Past the run's time the quota is not read (it may wait a minute too): 'cannot tell'.
      const after = this.o.now() < stopAt ? this.readQuota() : null;
      const judged = judgeLostAnswer({
        before,
        after,
        recipients: email.to.length,
        othersSending: this.o.othersSending(),
      });
      this.o.log.warn(`email not sent this time (${email.to.length} recipient(s)): ${judged}`);
      return judged === 'left' && after !== null
        ? { kind: 'left-unclear', after }
        : { kind: judged === 'left' ? 'unknown' : judged, after };
    }
  }

  /** MailApp's remaining daily quota, or null when MailApp cannot even say it. */
  readQuota(): number | null {
    try {
      return this.o.mail.getRemainingDailyQuota();
    } catch (error) {
      if (mustRethrow(error)) throw error;
      return null;
    }
  }
}
