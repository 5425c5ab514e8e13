// Email to SLT, the DSL and teachers. A failed email must not stop a link being
// withdrawn, so failures are logged (without content) and the run goes on.

import type { AlertMail, Notifier, OpsLog } from '../core/ports';

export class MailNotifier implements Notifier, AlertMail {
  readonly failures: string[] = [];

  constructor(
    private readonly mail: GoogleAppsScript.Mail.MailApp,
    private readonly log: OpsLog,
  ) {}

  send(to: readonly string[], subject: string, body: string): void {
    this.alert(to, subject, body);
  }

  /** As send, but says whether the email left, so a teacher is told when the DSL was not reached. */
  alert(to: readonly string[], subject: string, body: string): boolean {
    const recipients = [...new Set(to.map((t) => t.toLowerCase()).filter(Boolean))];
    if (recipients.length === 0) return false;
    try {
      this.mail.sendEmail({
        to: recipients.join(','),
        subject,
        body,
        name: 'Safe Live Lessons',
        noReply: true,
      });
      return true;
    } catch (error) {
      this.failures.push(subject);
      this.log.warn(
        `email not sent (${recipients.length} recipient(s)): ${error instanceof Error ? error.name : 'error'}`,
      );
      return false;
    }
  }
}
