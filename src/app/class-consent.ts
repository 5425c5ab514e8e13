// R13, before the lesson: the class's pupils held against the consent register's snapshot.

import type { ClassConsent } from '../core/class-consent';
import type { Person } from '../core/ports';
import type { Deps } from './deps';

/** The class's consent from its pupils as Classroom gave them (null: Classroom did not). */
export function classConsent(
  deps: Pick<Deps, 'consent'>,
  pupils: readonly Person[] | null,
): ClassConsent {
  if (pupils === null) return 'unread';
  return {
    pupils: pupils.length,
    without: pupils.filter((p) => !deps.consent.hasConsent(p)).map((p) => p.name),
  };
}
