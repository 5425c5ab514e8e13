// Operator logs (Apps Script's execution log / Cloud Logging). Callers pass lesson ids,
// counts and failure kinds only (R20); as a second guard, anything that looks like an
// email address is masked before it is written.

import type { OpsLog } from '../core/ports';

const EMAIL = /[^\s@<>()"',;:]+@[^\s@<>()"',;:]+/g;

export function consoleOpsLog(target: Pick<Console, 'info' | 'warn'>): OpsLog {
  return {
    info: (message) => target.info(mask(message)),
    warn: (message) => target.warn(mask(message)),
  };
}

export function mask(message: string): string {
  return message.replace(EMAIL, '<email>');
}
