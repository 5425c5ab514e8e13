// Proves the simulated ScriptApp keeps Apps Script's trigger contracts: the allowed intervals,
// 20 triggers per user per script, the add-on hourly limit, per-user trigger lists, the
// schedule the workspace loop fires from (1-minute = 60 runs an hour, daily across the clock
// change), Calendar triggers due after a change, documented event objects, and the OAuth token.

import { HOUR, MINUTE } from './kernel/clock';
import type { ExecutionKind } from './kernel/execution';
import { SimKernel } from './kernel/kernel';
import type { CalendarWorld } from './kernel/world-ports';
import {
  ADDON_TRIGGER_TOO_FREQUENT_MESSAGE,
  CALENDAR_TRIGGER_DELAY_MS,
  SCRIPTAPP_SCOPE,
  SimScriptApp,
  TOO_MANY_TRIGGERS_MESSAGE,
} from './services/script-app';

const TEACHER = 'teacher@school.test';
const HEAD = 'head@school.test';
const CALENDAR_SCOPE = 'https://www.googleapis.com/auth/calendar.events';

function setup(scopes = [SCRIPTAPP_SCOPE, CALENDAR_SCOPE]) {
  const kernel = new SimKernel({
    start: Date.parse('2026-03-02T09:00:00Z'),
    domain: 'school.test',
    manifestScopes: scopes,
  });
  const listeners: ((calendarId: string) => void)[] = [];
  const calendar: CalendarWorld = { onEventsChanged: (l) => void listeners.push(l) };
  const changeCalendar = (id: string) => {
    for (const l of listeners) l(id);
  };
  const scriptApp = new SimScriptApp(kernel, calendar, 'script-123');
  const ScriptApp = scriptApp.global();
  const run = <T>(user: string, fn: () => T, kind: ExecutionKind = 'editor') =>
    kernel.runExecution({ user, kind, functionName: 'f' }, fn);
  const as = <T>(user: string, fn: () => T, kind: ExecutionKind = 'editor'): T => {
    const result = run(user, fn, kind);
    if (!result.ok) throw result.error;
    return result.value as T;
  };
  /** Every run the workspace loop would make between now and `until`. */
  const runsUntil = (until: number) => {
    const runs: { handler: string; at: number }[] = [];
    let cursor = kernel.now();
    for (;;) {
      const due = scriptApp.nextDue(cursor);
      if (!due || due.at > until) break;
      scriptApp.eventFor(due.trigger, due.at);
      runs.push({ handler: due.trigger.handlerFunction, at: due.at });
      cursor = due.at;
    }
    return runs;
  };
  return { kernel, scriptApp, ScriptApp, run, as, changeCalendar, runsUntil };
}

describe('clock triggers', () => {
  test('a 1-minute trigger fires 60 times in an hour, on the minute after creation', () => {
    const { kernel, ScriptApp, as, runsUntil } = setup();
    as(TEACHER, () => ScriptApp.newTrigger('tick').timeBased().everyMinutes(1).create());
    const created = kernel.now();
    const runs = runsUntil(created + HOUR);
    expect(runs).toHaveLength(60);
    expect(runs[0]!.at).toBe(created + MINUTE);
    expect(runs[59]!.at).toBe(created + HOUR);
  });

  test('a stalled trigger (a world incident) stays installed and listed but does not fire until resumed', () => {
    const { kernel, scriptApp, ScriptApp, as, runsUntil } = setup();
    as(TEACHER, () => ScriptApp.newTrigger('tick').timeBased().everyMinutes(1).create());
    as(TEACHER, () => ScriptApp.newTrigger('tock').timeBased().everyMinutes(1).create());
    scriptApp.stallTrigger('tick', TEACHER);
    const start = kernel.now();
    const runs = runsUntil(start + 10 * MINUTE);
    expect(runs.filter((r) => r.handler === 'tick')).toEqual([]);
    expect(runs.filter((r) => r.handler === 'tock')).toHaveLength(10);
    expect(
      as(TEACHER, () => ScriptApp.getProjectTriggers().map((t) => t.getHandlerFunction())),
    ).toEqual(['tick', 'tock']);
    scriptApp.resumeTrigger('tick', TEACHER);
    expect(runsUntil(start + 10 * MINUTE).filter((r) => r.handler === 'tick')).toHaveLength(10);
  });

  test('everyHours(2) fires every two hours', () => {
    const { kernel, ScriptApp, as, runsUntil } = setup();
    as(TEACHER, () => ScriptApp.newTrigger('sweep').timeBased().everyHours(2).create());
    expect(runsUntil(kernel.now() + 24 * HOUR)).toHaveLength(12);
  });

  test('everyMinutes and everyHours accept only the documented values', () => {
    const { ScriptApp, run } = setup();
    const minutes = run(TEACHER, () => ScriptApp.newTrigger('f').timeBased().everyMinutes(2));
    expect((minutes.error as Error).message).toBe(
      'The value you passed to everyMinutes was invalid. It must be one of 1, 5, 10, 15 or 30.',
    );
    for (const n of [1, 5, 10, 15, 30]) {
      expect(run(TEACHER, () => ScriptApp.newTrigger('f').timeBased().everyMinutes(n)).ok).toBe(
        true,
      );
    }
    const hours = run(TEACHER, () => ScriptApp.newTrigger('f').timeBased().everyHours(3));
    expect((hours.error as Error).message).toMatch(
      /^The value you passed to everyHours was invalid/,
    );
  });

  test('a one-off trigger (after) fires once and stays listed until deleted', () => {
    const { kernel, ScriptApp, as, runsUntil } = setup();
    as(TEACHER, () =>
      ScriptApp.newTrigger('later')
        .timeBased()
        .after(10 * MINUTE)
        .create(),
    );
    const created = kernel.now();
    const runs = runsUntil(created + 5 * HOUR);
    expect(runs).toEqual([{ handler: 'later', at: created + 10 * MINUTE }]);
    expect(as(TEACHER, () => ScriptApp.getProjectTriggers().length)).toBe(1);
  });

  test('a daily trigger keeps its local hour across the October clock change', () => {
    const { ScriptApp, kernel, as, runsUntil } = setup();
    kernel.clock.advanceTo(Date.parse('2026-10-23T12:00:00Z'));
    as(TEACHER, () =>
      ScriptApp.newTrigger('purge').timeBased().everyDays(1).atHour(7).nearMinute(0).create(),
    );
    const runs = runsUntil(Date.parse('2026-10-27T00:00:00Z')).map((r) =>
      new Date(r.at).toISOString(),
    );
    // 07:00 BST is 06:00Z; after 25 October 07:00 GMT is 07:00Z.
    expect(runs).toEqual([
      '2026-10-24T06:00:00.000Z',
      '2026-10-25T07:00:00.000Z',
      '2026-10-26T07:00:00.000Z',
    ]);
  });

  test('the time-driven event object has the documented fields, in UTC', () => {
    const { scriptApp, ScriptApp, kernel, as } = setup();
    const trigger = as(TEACHER, () =>
      ScriptApp.newTrigger('tick').timeBased().everyMinutes(5).create(),
    );
    const due = scriptApp.nextDue(kernel.now())!;
    const event = scriptApp.eventFor(due.trigger, Date.parse('2026-03-08T23:59:59Z'));
    expect(event).toEqual({
      authMode: ScriptApp.AuthMode.FULL,
      'day-of-month': 8,
      'day-of-week': 7, // Sunday (1 = Monday)
      hour: 23,
      minute: 59,
      month: 3,
      second: 59,
      timezone: 'UTC',
      triggerUid: trigger.getUniqueId(),
      'week-of-year': 10,
      year: 2026,
    });
  });
});

describe('trigger limits and lists', () => {
  test('the 21st trigger of a user is refused; another user still has room', () => {
    const { ScriptApp, as, run } = setup();
    as(TEACHER, () => {
      for (let i = 0; i < 20; i += 1)
        ScriptApp.newTrigger(`h${i}`).timeBased().everyHours(1).create();
    });
    const refused = run(TEACHER, () =>
      ScriptApp.newTrigger('one-more').timeBased().everyHours(1).create(),
    );
    expect(refused.ok).toBe(false);
    expect((refused.error as Error).message).toBe(TOO_MANY_TRIGGERS_MESSAGE);
    expect(run(HEAD, () => ScriptApp.newTrigger('h').timeBased().everyHours(1).create()).ok).toBe(
      true,
    );
    // Deleting one makes room again.
    as(TEACHER, () => {
      ScriptApp.deleteTrigger(ScriptApp.getProjectTriggers()[0]!);
      ScriptApp.newTrigger('again').timeBased().everyHours(1).create();
    });
  });

  test('an add-on (card execution) cannot create a trigger more frequent than hourly', () => {
    const { ScriptApp, run } = setup();
    const minute = run(
      TEACHER,
      () => ScriptApp.newTrigger('f').timeBased().everyMinutes(1).create(),
      'card',
    );
    expect((minute.error as Error).message).toBe(ADDON_TRIGGER_TOO_FREQUENT_MESSAGE);
    const hourly = run(
      TEACHER,
      () => ScriptApp.newTrigger('f').timeBased().everyHours(1).create(),
      'card',
    );
    expect(hourly.ok).toBe(true);
  });

  test('getProjectTriggers lists the current user’s triggers only; deleteTrigger removes', () => {
    const { ScriptApp, as } = setup();
    as(TEACHER, () => ScriptApp.newTrigger('teacherJob').timeBased().everyHours(1).create());
    as(HEAD, () => ScriptApp.newTrigger('headJob').timeBased().everyHours(1).create());
    as(TEACHER, () => {
      const mine = ScriptApp.getProjectTriggers();
      expect(mine.map((t) => t.getHandlerFunction())).toEqual(['teacherJob']);
      expect(mine[0]!.getEventType()).toBe(ScriptApp.EventType.CLOCK);
      expect(mine[0]!.getTriggerSource()).toBe(ScriptApp.TriggerSource.CLOCK);
      expect(mine[0]!.getTriggerSourceId()).toBeNull();
      ScriptApp.deleteTrigger(mine[0]!);
      expect(ScriptApp.getProjectTriggers()).toEqual([]);
    });
    expect(as(HEAD, () => ScriptApp.getProjectTriggers().length)).toBe(1);
  });

  test('deleted triggers no longer fire', () => {
    const { kernel, scriptApp, ScriptApp, as } = setup();
    const t = as(TEACHER, () => ScriptApp.newTrigger('tick').timeBased().everyMinutes(1).create());
    as(TEACHER, () => ScriptApp.deleteTrigger(t));
    expect(scriptApp.nextDue(kernel.now())).toBeUndefined();
  });

  test('trigger management needs the script.scriptapp scope', () => {
    const { ScriptApp, run } = setup([CALENDAR_SCOPE]);
    const r = run(TEACHER, () => ScriptApp.newTrigger('f'));
    expect((r.error as Error).message).toBe(
      `You do not have permission to call ScriptApp.newTrigger. Required permissions: ${SCRIPTAPP_SCOPE}`,
    );
  });
});

describe('calendar triggers', () => {
  test('an event change makes the owner’s calendar trigger due a few seconds later', () => {
    const { kernel, scriptApp, ScriptApp, as, changeCalendar } = setup();
    const trigger = as(TEACHER, () =>
      ScriptApp.newTrigger('onCalendarChange').forUserCalendar(TEACHER).onEventUpdated().create(),
    );
    expect(trigger.getEventType()).toBe(ScriptApp.EventType.ON_EVENT_UPDATED);
    expect(trigger.getTriggerSource()).toBe(ScriptApp.TriggerSource.CALENDAR);
    expect(trigger.getTriggerSourceId()).toBe(TEACHER);
    expect(scriptApp.nextDue(kernel.now())).toBeUndefined();

    changeCalendar('other@school.test');
    expect(scriptApp.nextDue(kernel.now())).toBeUndefined();

    changeCalendar(TEACHER);
    const changedAt = kernel.now();
    const due = scriptApp.nextDue(changedAt)!;
    expect(due.at).toBe(changedAt + CALENDAR_TRIGGER_DELAY_MS);
    expect(due.trigger.owner).toBe(TEACHER);
    expect(scriptApp.eventFor(due.trigger, due.at)).toEqual({
      authMode: ScriptApp.AuthMode.FULL,
      calendarId: TEACHER,
      triggerUid: trigger.getUniqueId(),
    });
    // Delivered: nothing more is due until the next change.
    expect(scriptApp.nextDue(changedAt)).toBeUndefined();
  });
});

describe('OAuth token and script id', () => {
  test('getOAuthToken is the effective user’s token with the manifest scopes, one per execution', () => {
    const { kernel, ScriptApp, as } = setup();
    const [a, b] = as(TEACHER, () => [ScriptApp.getOAuthToken(), ScriptApp.getOAuthToken()]);
    expect(a).toBe(b);
    const principal = kernel.tokens.resolve(`Bearer ${a}`, kernel.now());
    expect(principal.user).toBe(TEACHER);
    expect(principal.scopes).toContain(CALENDAR_SCOPE);
    expect(principal.via).toBe('apps-script');
    const other = as(HEAD, () => ScriptApp.getOAuthToken());
    expect(kernel.tokens.resolve(`Bearer ${other}`, kernel.now()).user).toBe(HEAD);
    expect(as(TEACHER, () => ScriptApp.getScriptId())).toBe('script-123');
  });
});
