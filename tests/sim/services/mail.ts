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
/** doc: same page, consumer accounts (for example, gmail.com): "Email recipients per day 100 / day". */
export const CONSUMER_MAIL_RECIPIENTS_PER_DAY = 100;
/** doc: same page, "Current limitations": "Email recipients per message 50 / msg". */
export const MAIL_RECIPIENTS_PER_MESSAGE = 50;
/** doc: same page, "Current limitations": "Email body size 200 KB / msg" (consumer), "400 KB / msg" (Workspace). */
export const MAIL_BODY_MAX_BYTES = 400 * 1024;
const DAY_MS = 24 * 3_600_000;

/** doc: quotas page: a script over a daily quota throws "Service invoked too many times for one day: email." */
export const MAIL_QUOTA_MESSAGE = 'Service invoked too many times for one day: email.';
/**
 * assumption: the quotas page gives the per-message limits but not the messages; these are the
 * words users report MailApp throwing ("Limit Exceeded: Email Recipients Per Message.").
 */
export const MAIL_TOO_MANY_RECIPIENTS_MESSAGE = 'Limit Exceeded: Email Recipients Per Message.';
export const MAIL_BODY_TOO_LARGE_MESSAGE = 'Limit Exceeded: Email Body Size.';
/** assumption: MailApp refuses an address it cannot parse with "Invalid email: <address>" (widely reported). */
const ADDRESS = /^[^\s@,;<>()"]+@[^\s@,;<>()"]+\.[^\s@,;<>()"]+$/;

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
  private recipientsPerDay = MAIL_RECIPIENTS_PER_DAY;

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
      // doc: mail-app#getRemainingDailyQuota "Returns the number of recipients you can send
      // emails to for the rest of the day. The returned value is valid for the current execution
      // and might vary between executions." "Quotas are based on the number of email recipients."
      // assumption: the value reflects an email as soon as sendEmail accepted it, also within one
      // execution (Google does not say whether the value is a snapshot; the product reads it
      // again after a lost answer, and errs towards sending again when it does not move).
      getRemainingDailyQuota: () =>
        k.invoke(
          'mail.getRemainingDailyQuota',
          () => Math.max(0, this.recipientsPerDay - this.usage().used),
          { latencyMs: 0 },
        ),
    };
  }

  // --- world API ---

  outbox(): SentMail[] {
    return this.sent.map((m) => ({ ...m, to: [...m.to], cc: [...m.cc], bcc: [...m.bcc] }));
  }

  /** The account is a consumer one (gmail.com): 100 recipients a day instead of 1,500. */
  useConsumerQuota(): void {
    this.recipientsPerDay = CONSUMER_MAIL_RECIPIENTS_PER_DAY;
  }

  /**
   * Something else the same account runs (another script, an add-on, a mail merge) emails
   * `recipients` people now: it spends `user`'s quota, and the product's MailApp sees less left.
   * doc: https://developers.google.com/apps-script/guides/services/quotas "Quotas are per user
   * and reset 24 hours after the first request": the quota is the account's, not the script's.
   */
  spendElsewhere(user: string, recipients: number): void {
    const entry = this.usageOf(user.toLowerCase());
    entry.used = Math.min(this.recipientsPerDay, entry.used + recipients);
  }

  /** Recipients `user` has used in their current 24-hour quota window (a test reads the quota). */
  recipientsUsed(user: string, at = this.kernel.now()): number {
    const entry = this.quota.get(user.toLowerCase());
    return entry && at < entry.windowStart + DAY_MS ? entry.used : 0;
  }

  private requireScope(method: string): void {
    if (!this.kernel.manifestScopes.includes(SEND_MAIL_SCOPE)) {
      throw appsScriptException(
        `You do not have permission to call ${method}. Required permissions: ${SEND_MAIL_SCOPE}`,
      );
    }
  }

  private usage(): { windowStart: number; used: number } {
    return this.usageOf(this.kernel.effectiveUser());
  }

  private usageOf(user: string): { windowStart: number; used: number } {
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
    const bad = [...to, ...cc, ...bcc].find((a) => !ADDRESS.test(a));
    if (bad !== undefined) throw appsScriptException(`Invalid email: ${bad}`);
    if (recipients > MAIL_RECIPIENTS_PER_MESSAGE)
      throw appsScriptException(MAIL_TOO_MANY_RECIPIENTS_MESSAGE);
    if (Buffer.byteLength(String(message.body ?? ''), 'utf8') > MAIL_BODY_MAX_BYTES)
      throw appsScriptException(MAIL_BODY_TOO_LARGE_MESSAGE);
    const usage = this.usage();
    // doc: quotas — the daily quota counts recipients (to, cc and bcc), not messages.
    if (usage.used + recipients > this.recipientsPerDay) {
      throw appsScriptException(MAIL_QUOTA_MESSAGE);
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
