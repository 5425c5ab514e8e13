// The sidebar's homepage: today's lessons and the next seven days; for approvers, the lessons
// awaiting them and those they approved (R2); for SLT and the DSL, the pupils to follow up
// (R23). A long list goes by pages. Every string from a person or Google is escaped.

import type { ApprovalView, LessonView } from '../core/lesson-view';
import { actionButton, type CS, escapeHtml, type Page, pageOf, paragraph } from './card-kit';
import { ACTIONS, CARD_NAMES } from './navigation';

/** R23: a pupil SLT must follow up, as SLT and the DSL see it on their homepage. */
export interface FollowUpLine {
  incidentId: string;
  pupil: string;
  /** 'Removed Mon 23 Nov, Year 3 Class A' */
  detail: string;
}

export type HomeList = 'approvals' | 'approved' | 'today' | 'week';
export type HomePages = Record<HomeList, number>;

export function homepageCard(
  cs: CS,
  input: {
    today: LessonView[];
    week: LessonView[];
    approvals: ApprovalView[] | null;
    /** R2: lessons this approver agreed to whose rooms have not opened: they may withdraw. */
    approved?: ApprovalView[];
    notice: string | null;
    /** R23: for SLT and the DSL, the marks they may clear once they have followed up. */
    followUps?: FollowUpLine[];
    pages?: Partial<HomePages>;
  },
) {
  const pages: HomePages = { approvals: 0, approved: 0, today: 0, week: 0, ...input.pages };
  const card = cs
    .newCardBuilder()
    .setName(CARD_NAMES.home)
    .setHeader(
      cs.newCardHeader().setTitle('Safe Live Lessons').setSubtitle('Live lessons, safely'),
    );
  if (input.notice) card.addSection(cs.newCardSection().addWidget(paragraph(cs, input.notice)));

  if (input.approvals && input.approvals.length > 0) {
    const page = pageOf(input.approvals, pages.approvals);
    const section = cs.newCardSection().setHeader('Awaiting your approval');
    for (const a of page.items) {
      const flags =
        a.flags.length === 0
          ? 'no flags'
          : a.flags.length === 1
            ? '1 flag'
            : `${a.flags.length} flags`;
      section.addWidget(
        cs
          .newDecoratedText()
          .setTopLabel(escapeHtml(a.when))
          .setText(`<b>${escapeHtml(a.title)}</b> · ${escapeHtml(a.course)}`)
          .setBottomLabel(escapeHtml(`${a.teacher} · ${flags}`))
          .setWrapText(true)
          .setOnClickAction(
            cs.newAction().setFunctionName(ACTIONS.showLesson).setParameters({ lessonId: a.id }),
          )
          .setButton(actionButton(cs, 'Review', ACTIONS.showLesson, { lessonId: a.id })),
      );
    }
    addPager(cs, section, page, 'approvals', pages);
    card.addSection(section);
  }
  if (input.approved && input.approved.length > 0) {
    const page = pageOf(input.approved, pages.approved);
    const section = cs.newCardSection().setHeader('Approved by you, not yet open');
    for (const a of page.items)
      section.addWidget(
        cs
          .newDecoratedText()
          .setTopLabel(escapeHtml(a.when))
          .setText(`<b>${escapeHtml(a.title)}</b> · ${escapeHtml(a.course)}`)
          .setBottomLabel(escapeHtml(a.teacher))
          .setWrapText(true)
          .setOnClickAction(
            cs.newAction().setFunctionName(ACTIONS.showLesson).setParameters({ lessonId: a.id }),
          )
          .setButton(actionButton(cs, 'Review', ACTIONS.showLesson, { lessonId: a.id })),
      );
    addPager(cs, section, page, 'approved', pages);
    card.addSection(section);
  }

  const list = (name: HomeList, title: string, lessons: LessonView[], empty: string) => {
    const section = cs.newCardSection().setHeader(escapeHtml(title));
    if (lessons.length === 0) section.addWidget(paragraph(cs, empty));
    const page = pageOf(lessons, pages[name]);
    for (const l of page.items) {
      section.addWidget(
        cs
          .newDecoratedText()
          .setTopLabel(escapeHtml(l.when))
          .setText(`<b>${escapeHtml(l.title)}</b> · ${escapeHtml(l.course)}`)
          .setBottomLabel(
            escapeHtml(l.followUps.length > 0 ? `${l.status} · SLT follow-up needed` : l.status),
          )
          .setWrapText(true)
          .setOnClickAction(
            cs.newAction().setFunctionName(ACTIONS.showLesson).setParameters({ lessonId: l.id }),
          ),
      );
      if (l.next) {
        section.addWidget(
          actionButton(
            cs,
            l.next.label,
            ACTIONS.lessonAction,
            { lessonId: l.id, action: l.next.id, from: 'home' },
            true,
          ),
        );
      }
    }
    addPager(cs, section, page, name, pages);
    card.addSection(section);
  };
  if (input.followUps && input.followUps.length > 0) {
    const section = cs
      .newCardSection()
      .setHeader('Pupils to follow up before they join again')
      .addWidget(
        paragraph(
          cs,
          'Removed from a lesson for behaviour (policy 000). Clear each once SLT have followed up with the parents; until then their teachers are told if they join.',
        ),
      );
    for (const f of input.followUps.slice(0, 40))
      section.addWidget(
        cs
          .newDecoratedText()
          .setText(`<b>${escapeHtml(f.pupil)}</b>`)
          .setBottomLabel(escapeHtml(f.detail))
          .setWrapText(true)
          .setButton(
            actionButton(cs, 'Followed up: clear', ACTIONS.clearFollowUp, {
              incidentId: f.incidentId,
            }),
          ),
      );
    card.addSection(section);
  }
  list('today', 'Today', input.today, 'No live lessons today.');
  list('week', 'Next 7 days', input.week, 'Nothing scheduled in the next 7 days.');
  card.setFixedFooter(
    cs
      .newFixedFooter()
      .setPrimaryButton(actionButton(cs, 'Schedule a lesson', ACTIONS.showScheduleForm)),
  );
  return card.build();
}

/** "Showing 21–40 of 150" with Previous and Next buttons, when a list has more than a page. */
function addPager<T>(
  cs: CS,
  section: GoogleAppsScript.Card_Service.CardSection,
  page: Page<T>,
  list: HomeList,
  pages: HomePages,
): void {
  if (page.previous === null && page.next === null) return;
  const params = (from: number) => {
    const at: Record<string, string> = {};
    for (const [name, value] of Object.entries({ ...pages, [list]: from }))
      at[name] = String(value);
    return at;
  };
  section.addWidget(
    paragraph(cs, `Showing ${page.from + 1}–${page.from + page.items.length} of ${page.total}`),
  );
  const buttons = cs.newButtonSet();
  if (page.previous !== null)
    buttons.addButton(actionButton(cs, 'Previous', ACTIONS.showHome, params(page.previous)));
  if (page.next !== null)
    buttons.addButton(
      actionButton(
        cs,
        `Next ${Math.min(page.items.length, page.total - page.next)}`,
        ACTIONS.showHome,
        params(page.next),
      ),
    );
  section.addWidget(buttons);
}
