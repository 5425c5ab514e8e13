// The simulated Workspace fires installable triggers as Apps Script does: whatever else is
// running. A teacher's card action moves the world clock while it works; a minute trigger that
// fell due meanwhile still fires (after it), and is not skipped.
// doc: https://developers.google.com/apps-script/guides/triggers/installable (time-driven
// triggers run at their set interval; nothing says another execution holds them back)

import { DeployedSchool, MIN, monday } from '../e2e/deployed-school';

function monitorStarts(school: DeployedSchool, ms: number): number[] {
  const starts: number[] = [];
  school.advance(ms, (name, result) => {
    if (name === 'monitorTick') starts.push(result.execution.startedAt);
  });
  return starts;
}

describe('installable triggers in the simulated Workspace', () => {
  it('fires a minute trigger that fell due while a card action held the clock, once, after it', () => {
    const school = new DeployedSchool({ start: monday(9, 0) });
    // The minute trigger's second within the minute (it follows when setup installed it).
    const seen = monitorStarts(school, 2 * MIN);
    const due = seen[seen.length - 1]! + MIN;
    school.advance(due - 10_000 - school.ws.now());
    const before = school.ws.now();
    // A card action that took 45 seconds of the world's time (slow Google answers), over the
    // minute trigger's next due time and no other.
    school.ws.kernel.clock.advance(45_000);
    const starts = monitorStarts(school, 3 * MIN);
    // The run held back by the card action starts the moment it is done...
    expect(starts[0]).toBe(before + 45_000);
    // ...and the minute runs go on as before, one a minute: none skipped, none twice.
    const rest = starts.slice(1);
    for (let i = 1; i < rest.length; i++) expect(rest[i]! - rest[i - 1]!).toBe(MIN);
    expect(rest[0]! - starts[0]!).toBeLessThan(MIN);
    expect(rest).toHaveLength(3);
  });

  it('fires nothing in between when a test jumps hours ahead on purpose', () => {
    const school = new DeployedSchool({ start: monday(9, 0) });
    school.advance(2 * MIN);
    school.ws.kernel.clock.advance(3 * 60 * MIN);
    const starts = monitorStarts(school, 2 * MIN);
    expect(starts.length).toBeLessThanOrEqual(2);
  });
});
