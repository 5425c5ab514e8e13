// R19, issue 12: the dashboard's figures agree with each other: the weeks of the current term
// add up to the term's row, and "with serious flags" counts lessons that ran, in both.

import { dashboardBlocks, type SheetRecord } from '../../src/core/dashboard';

const TZ = 'Europe/London';
const NOW = Date.UTC(2026, 10, 25, 12); // Wednesday of the week of 2026-11-23

function session(id: string, day: string, ran: boolean, serious: boolean): SheetRecord {
  return {
    'Lesson ID': id,
    Session: `Lesson ${id}`,
    Date: day,
    Start: `${day} 10:00`,
    Teacher: 't@school.example',
    Status: ran ? 'closed' : 'scheduled',
    Serious: serious ? 'yes' : 'no',
    Flags: serious ? 'no-second-staff: No second member of staff.' : '',
    'Room Opened': ran ? `${day} 09:50` : '',
  };
}

function blockRows(title: string, blocks: ReturnType<typeof dashboardBlocks>) {
  const block = blocks.find((b) => b.title.startsWith(title));
  if (!block) throw new Error(`no block ${title}`);
  return block.rows;
}

describe('the dashboard’s summaries', () => {
  it('count serious flags only on lessons that ran, so the weeks add up to the term', () => {
    const sessions = [
      session('a', '2026-11-16', true, true),
      session('b', '2026-11-23', true, false),
      session('c', '2026-11-24', true, true),
      // Serious but not run (no second adult on a lesson still to come): flagged, not counted.
      session('d', '2026-11-30', false, true),
      session('e', '2026-11-26', false, true),
    ];
    const incidents: SheetRecord[] = [
      {
        'Incident ID': 'i1',
        'Date & time': '2026-11-24 10:10',
        Status: 'open',
        'SLT Follow-up': '',
      },
    ];
    const blocks = dashboardBlocks({ sessions, incidents, followUps: [], now: NOW, timeZone: TZ });
    const autumn = blockRows('Termly summary', blocks).find((r) => r[0] === 'Autumn 2026')!;
    expect(autumn).toEqual(['Autumn 2026', 5, 3, 2, 1, 0]);
    const weeks = blockRows('Weekly summary', blocks);
    const total = (i: number) => weeks.reduce((n, r) => n + Number(r[i]), 0);
    expect([total(1), total(2), total(3)]).toEqual([autumn[2], autumn[3], autumn[4]]);
    // The flagged list still shows every serious lesson, run or not.
    expect(blockRows('Lessons with serious flags', blocks).map((r) => r[1])).toEqual([
      'Lesson a',
      'Lesson c',
      'Lesson e',
      'Lesson d',
    ]);
  });
});
