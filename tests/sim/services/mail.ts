// MailApp: sending e-mail as the effective user, with the daily recipient quota, and an
// outbox tests read instead of a mail server.
// doc: https://developers.google.com/apps-script/reference/mail/mail-app

import { appsScriptException, GoogleApiError } from '../kernel/google-error';
import { type SimKernel, TransportTimeout } from '../kernel/kernel';

type MailOptions = GoogleAppsScript.Mail.MailAdvancedParameters;

/** doc: https://developers.google.com/apps-script/guides/services/quotas — Google Workspace
 * accounts: "Email recipients per day 1,500 / day"; "Quotas are per user and reset 24 hours
 * after the first request." */
export const MAIL_RECIPIENTS_PER_DAY = 1500;
const DAY_MS = 24 * 3_600_000;

export const SEND_MAIL_SCOPE = 'https://www.googleapis.com/auth/script.send_mail';

export interface SentMail {
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  body: string;
  htmlBody?: string;
  name?: string;
  replyTo?: string;
  noReply: boolean;
  at: number;
}

function addresses(list: string | undefined): string[] {
  return (list ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
}

export class SimMail {
  private sent: SentMail[] = [];
  private quota = new Map<string, { windowStart: number; used: number }>();

  constructor(private readonly kernel: SimKernel) {}

  global(): Pick<GoogleAppsScript.Mail.MailApp, 'sendEmail' | 'getRemainingDailyQuota'> {
    const k = this.kernel;
    // doc: mail-app — every overload: (message), (recipient, subject, body),
    // (recipient, subject, body, options), (to, replyTo, subject, body).
    const sendEmail = (
      a: string | MailOptions,
      b?: string,
      c?: string,
      d?: string | MailOptions,
    ): void => {
      let message: MailOptions;
      if (typeof a === 'object' && a !== null) message = { ...a };
      else if (typeof d === 'string') message = { to: a, replyTo: b, subject: c, body: d };
      else message = { ...(d ?? {}), to: a, subject: b, body: c };
      this.requireScope('MailApp.sendEmail');
      try {
        k.invoke('mail.sendEmail', () => this.deliver(message));
      } catch (error) {
        // Mail is a Google back end: a failure surfaces as a plain Apps Script Exception.
        if (error instanceof GoogleApiError) throw appsScriptException(error.message);
        if (error instanceof TransportTimeout) throw appsScriptException('Empty response');
        throw error;
      }
    };
    return {
      sendEmail: sendEmail as GoogleAppsScript.Mail.MailApp['sendEmail'],
      // doc: mail-app#getRemainingDailyQuota "Returns the number of remaining emails a user can
      // send for the rest of the day."
      getRemainingDailyQuota: () =>
        k.invoke('mail.getRemainingDailyQuota', () => MAIL_RECIPIENTS_PER_DAY - this.usage().used, {
          latencyMs: 0,
        }),
    };
  }

  // --- world API ---

  outbox(): SentMail[] {
    return this.sent.map((m) => ({ ...m, to: [...m.to], cc: [...m.cc], bcc: [...m.bcc] }));
  }

  private requireScope(method: string): void {
    if (!this.kernel.manifestScopes.includes(SEND_MAIL_SCOPE)) {
      throw appsScriptException(
        `You do not have permission to call ${method}. Required permissions: ${SEND_MAIL_SCOPE}`,
      );
    }
  }

  private usage(): { windowStart: number; used: number } {
    const user = this.kernel.effectiveUser();
    const now = this.kernel.now();
    let entry = this.quota.get(user);
    if (!entry || now >= entry.windowStart + DAY_MS) {
      entry = { windowStart: now, used: 0 };
      this.quota.set(user, entry);
    }
    return entry;
  }

  private deliver(message: MailOptions): void {
    const to = addresses(message.to);
    const cc = addresses(message.cc);
    const bcc = addresses(message.bcc);
    const recipients = to.length + cc.length + bcc.length;
    // Apps Script refuses a message with nobody to send it to.
    if (recipients === 0) throw appsScriptException('Failed to send email: no recipient');
    const usage = this.usage();
    // doc: quotas — the daily quota counts recipients (to, cc and bcc), not messages.
    if (usage.used + recipients > MAIL_RECIPIENTS_PER_DAY) {
      throw appsScriptException('Service invoked too many times for one day: email.');
    }
    usage.used += recipients;
    this.sent.push({
      from: this.kernel.effectiveUser(),
      to,
      cc,
      bcc,
      subject: String(message.subject ?? ''),
      body: String(message.body ?? ''),
      htmlBody: message.htmlBody,
      name: message.name,
      replyTo: message.replyTo,
      noReply: message.noReply === true,
      at: this.kernel.now(),
    });
  }
}
