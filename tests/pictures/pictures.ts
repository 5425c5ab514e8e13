// `npm run pictures`: drives a school day on the simulated Workspace through the built bundle,
// renders each main sidebar card (and the log's Dashboard sheet) to HTML, and screenshots it
// with headless Chromium into docs/cards/*.png and docs/dashboard.png. Not part of `npm test`:
// it needs a browser, and pictures are documentation, not assertions.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HOUR_MS } from '../../src/core/time';
import { DeployedSchool, MIN, monday } from '../e2e/deployed-school';
import { admit, scheduleFor, teacherJoinsAndShares } from '../e2e/scenario-kit';
import { renderCardHtml } from '../sim/card-html';
import { renderSheetHtml } from './sheet-html';

const OUT = resolve('docs');
const WORK = resolve('.tmp/pictures');

function chromium(): string {
  for (const name of ['chromium', 'chromium-browser', 'chromium-headless-shell', 'google-chrome']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim();
    } catch {
      // try the next name
    }
  }
  throw new Error(
    'No Chromium found: install one (e.g. apt-get install -y chromium) and run again.',
  );
}

function shoot(browser: string, html: string, png: string, width: number, height: number): void {
  const page = join(WORK, `${png.replace(/[/\\]/g, '_')}.html`);
  writeFileSync(page, html);
  execFileSync(
    browser,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
      '--hide-scrollbars',
      `--screenshot=${join(OUT, png)}`,
      `--window-size=${width},${height}`,
      pathToFileURL(page).href,
    ],
    { stdio: 'ignore', timeout: 60_000 },
  );
  console.log(`docs/${png}`);
}

function main(): void {
  const browser = chromium();
  mkdirSync(join(OUT, 'cards'), { recursive: true });
  mkdirSync(WORK, { recursive: true });
  const cards: { name: string; cards: unknown; height: number }[] = [];

  // Approval on, so the approver's card has something to show.
  const school = new DeployedSchool({ approvalRequired: true });
  const { ws } = school;
  const course = school.school.courses[0]!;
  const s = scheduleFor(school, { title: 'Year 3 phonics' });
  scheduleFor(school, {
    course: 1,
    title: 'Times tables',
    start: monday(9, 30),
    secondStaff: null,
  });
  const head = school.sidebar(school.school.head.email);
  cards.push({ name: 'approver-home', cards: head.home(), height: 760 });
  // The first to review is the one with no second adult: its flags show on the review card.
  const review = head.next(head.click(head.home(), 'Review'));
  cards.push({ name: 'approver-review', cards: review, height: 1000 });
  head.click(review, 'Approve');
  head.click(head.next(head.click(head.home(), 'Review')), 'Approve');

  // The schedule form, checked against the policy before submitting.
  const form = s.teacher.next(s.teacher.click(s.teacher.home(), 'Schedule a lesson'));
  const checked = s.teacher.next(
    s.teacher.click(form, 'Check with the policy', {
      title: 'Story time',
      start: { msSinceEpoch: monday(16), hasDate: true, hasTime: true },
    }),
  );
  cards.push({ name: 'schedule-check', cards: checked, height: 940 });

  // During the lesson.
  school.advanceTo(monday(9, 55));
  const link = teacherJoinsAndShares(school, s);
  admit(school, s, link, [
    course.assistant.email,
    ...course.pupils.slice(0, 4).map((p) => p.email),
  ]);
  school.advanceTo(monday(10, 5));
  cards.push({ name: 'teacher-home', cards: s.teacher.home(), height: 760 });
  cards.push({ name: 'lesson-live', cards: s.teacher.lessonCard(s.lessonId), height: 900 });
  const confirm = s.teacher.next(
    s.teacher.click(s.teacher.lessonCard(s.lessonId), 'End lesson for everyone'),
  );
  cards.push({ name: 'lesson-end-confirm', cards: confirm, height: 480 });
  const incident = s.teacher.next(
    s.teacher.click(s.teacher.lessonCard(s.lessonId), 'Report an incident'),
  );
  cards.push({ name: 'incident-form', cards: incident, height: 900 });
  const reported = s.teacher.click(incident, 'Send to the DSL', {
    person: course.pupils[2]!.email,
    role: 'O',
    nature: 'Inappropriate language or behaviour in the lesson',
    where: 'outside',
    details: 'Used offensive language in the chat after a warning; screenshot taken.',
    action: 'removed',
  });
  cards.push({ name: 'incident-reported', cards: reported, height: 900 });

  // After the lesson: the log form, and the class's next lesson with its follow-up.
  school.advanceTo(monday(10, 40));
  const log = s.teacher.next(
    s.teacher.click(s.teacher.lessonCard(s.lessonId), 'Write the lesson log'),
  );
  cards.push({ name: 'lesson-log', cards: log, height: 1000 });
  s.teacher.click(log, 'Send log', { technologyIssues: 'Sound dropped once' });

  // A Calendar event that is not a lesson.
  const event = ws.calendar.addEvent(course.teacher.email, {
    summary: 'Reading group',
    start: { dateTime: new Date(monday(13)).toISOString() },
    end: { dateTime: new Date(monday(13, 20)).toISOString() },
  });
  const offer = school.run(
    'onCalendarEventOpen',
    { calendar: { id: event.id, calendarId: 'primary' } },
    course.teacher.email,
  );
  cards.push({ name: 'calendar-event', cards: offer, height: 560 });

  // The log's Dashboard once the automation has refreshed it.
  school.advanceTo(monday(15));
  school.advance(HOUR_MS + MIN);

  for (const c of cards)
    shoot(
      browser,
      renderCardHtml(c.cards, { title: 'Safe Live Lessons' }),
      `cards/${c.name}.png`,
      380,
      c.height,
    );
  shoot(browser, renderSheetHtml(ws, school.logId, 'Dashboard'), 'dashboard.png', 1560, 860);
  if (!existsSync(join(OUT, 'dashboard.png'))) throw new Error('no dashboard picture was made');
}

main();
