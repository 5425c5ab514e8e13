// The sidebar's cards: the homepage (today, the next seven days, and for approvers the
// lessons awaiting them), a lesson's card, the approver's review, the confirmation before
// ending a lesson, the scheduling form and the log form. Cards only lay out view models
// computed by the core (lesson-view.ts); every string from a person or Google is escaped.
//
// Layout follows Google's card guidance: one task per card, the most important thing first,
// few widgets, a filled button for the one primary action
// (doc: https://developers.google.com/workspace/add-ons/concepts/cards), and a toggle that
// shows its own state (a Switch inside a DecoratedText,
// doc: https://developers.google.com/apps-script/reference/card-service/switch).

import type { ApprovalView, LessonView } from '../core/lesson-view';
import type { Course } from '../core/ports';
import {
  actionButton,
  type CS,
  escapeHtml,
  labelled,
  type Page,
  pageOf,
  paragraph,
} from './card-kit';

export const ACTIONS = {
  showLesson: 'showLesson',
  showHome: 'showHome',
  showScheduleForm: 'showScheduleForm',
  scheduleLesson: 'scheduleLessonAction',
  checkSchedule: 'checkScheduleAction',
  showIncidentForm: 'showIncidentForm',
  reportIncident: 'reportIncidentAction',
  lessonAction: 'lessonAction',
  submitLog: 'submitLogAction',
  decide: 'decideAction',
  home: 'onHomepage',
  clearFollowUp: 'clearFollowUpAction',
} as const;

/** R23: a pupil SLT must follow up, as SLT and the DSL see it on their homepage. */
export interface FollowUpLine {
  incidentId: string;
  pupil: string;
  /** 'Removed Mon 23 Nov, Year 3 Class A' */
  detail: string;
}

/** Card names (CardBuilder.setName), for navigation; never shown to anyone. */
export const CARD_NAMES = {
  home: 'home',
  lesson: (id: string) => `lesson:${id}`,
  review: (id: string) => `review:${id}`,
  endLesson: (id: string) => `end:${id}`,
  log: (id: string) => `log:${id}`,
  schedule: 'schedule',
} as const;

export type HomeList = 'approvals' | 'approved' | 'today' | 'week';
export type HomePages = Record<HomeList, number>;

export const END_CONFIRM = 'End the lesson for everyone';
export const GO_BACK = 'Go back';

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

/**
 * A lesson's card for its teacher: the room first while it is open, then the one next step.
 * (`_legacy` is ignored and kept only for existing callers: approvers have reviewCard.)
 */
export function lessonCard(cs: CS, view: LessonView, _legacy?: { canDecide: boolean }) {
  const card = cs
    .newCardBuilder()
    .setName(CARD_NAMES.lesson(view.id))
    .setHeader(
      cs
        .newCardHeader()
        .setTitle(escapeHtml(view.title))
        .setSubtitle(escapeHtml(`${view.course} · ${view.when}`)),
    );
  if (view.room) {
    // Only the teacher has the link (by this card): it comes first while the room is open.
    card.addSection(
      cs
        .newCardSection()
        .setHeader('Your room is open')
        .addWidget(
          cs
            .newDecoratedText()
            .setTopLabel('Your Meet link (only you have it)')
            .setText(`<b>${escapeHtml(view.room.uri.replace(/^https:\/\//, ''))}</b>`)
            .setBottomLabel('Join first: the class gets the link on Classroom once you are in.')
            .setWrapText(true),
        )
        .addWidget(
          cs
            .newTextButton()
            .setText('Join your room in Meet')
            .setTextButtonStyle(cs.TextButtonStyle.FILLED)
            .setOpenLink(cs.newOpenLink().setUrl(view.room.uri).setOpenAs(cs.OpenAs.FULL_SIZE)),
        ),
    );
  }
  // R28: when the automation cannot act for the teacher, that comes before anything else.
  if (view.warning)
    card.addSection(
      cs.newCardSection().setHeader('Act from here').addWidget(paragraph(cs, view.warning)),
    );
  const main = cs.newCardSection().addWidget(labelled(cs, 'Status', view.status));
  if (view.next)
    main.addWidget(
      actionButton(
        cs,
        view.next.label,
        ACTIONS.lessonAction,
        { lessonId: view.id, action: view.next.id },
        // One filled button per card: the room's Join button is the primary action while open.
        !view.room,
      ),
    );
  for (const more of view.more)
    main.addWidget(
      actionButton(cs, more.label, ACTIONS.lessonAction, { lessonId: view.id, action: more.id }),
    );
  if (view.pupilChat !== null) {
    // One control that shows the state: the switch is on when pupils may chat (R9).
    main.addWidget(
      cs
        .newDecoratedText()
        .setTopLabel('Chat for pupils')
        .setText(
          view.pupilChat ? 'On: pupils can send messages' : 'Off: only you and co-hosts can chat',
        )
        .setWrapText(true)
        .setSwitchControl(
          cs
            .newSwitch()
            .setFieldName(PUPIL_CHAT_FIELD)
            .setValue('on')
            .setSelected(view.pupilChat)
            .setOnChangeAction(
              cs
                .newAction()
                .setFunctionName(ACTIONS.lessonAction)
                .setParameters({ lessonId: view.id, action: 'chat' }),
            ),
        ),
    );
  }
  card.addSection(main);
  addNotes(cs, card, 'Before pupils join', view.followUps);
  addNotes(cs, card, 'Consent', view.consent);
  addNotes(cs, card, 'Flags for SLT', view.notes);
  return card.build();
}

/** The switch's field: present in the event's form inputs (value "on") only when switched on. */
export const PUPIL_CHAT_FIELD = 'pupilChat';

/**
 * The approver's review (R2): who, what, when, with whom, what the policy flagged and why it
 * needs agreement, all before the buttons. Approve first; Decline with its reason under it.
 * `refusal` (their own lesson, say) replaces the buttons with the reason.
 */
export function reviewCard(
  cs: CS,
  view: ApprovalView,
  refusal: string | null,
  approvedByYou = false,
) {
  const card = cs
    .newCardBuilder()
    .setName(CARD_NAMES.review(view.id))
    .setHeader(
      cs
        .newCardHeader()
        .setTitle(escapeHtml(view.title))
        .setSubtitle(
          escapeHtml(`${approvedByYou ? 'Approved by you' : 'Awaiting approval'} · ${view.when}`),
        ),
    );
  const facts = cs
    .newCardSection()
    .addWidget(labelled(cs, 'Teacher', view.teacher))
    .addWidget(labelled(cs, 'Class', view.course))
    .addWidget(labelled(cs, 'When', view.when))
    .addWidget(labelled(cs, 'Second adult', view.secondStaff));
  card.addSection(facts);
  const why = cs.newCardSection().setHeader('Why it needs your approval');
  for (const line of view.why) why.addWidget(paragraph(cs, line));
  card.addSection(why);
  const flags = cs.newCardSection().setHeader('What the policy flagged');
  if (view.flags.length === 0) flags.addWidget(paragraph(cs, 'Nothing: no flags for this lesson.'));
  for (const f of view.flags) flags.addWidget(paragraph(cs, f));
  card.addSection(flags);
  const decision = cs.newCardSection().setHeader('Your decision');
  if (refusal) {
    decision.addWidget(paragraph(cs, refusal));
  } else if (approvedByYou) {
    // R2: agreement is needed before the room opens; until then the approver may take it back.
    decision
      .addWidget(
        paragraph(
          cs,
          'You approved this lesson. Until its room opens you can withdraw your approval: the room then never opens, and the teacher is told, with your reason.',
        ),
      )
      .addWidget(
        cs
          .newTextInput()
          .setFieldName('reason')
          .setTitle('Reason for withdrawing (the teacher will see it)')
          .setMultiline(true),
      )
      .addWidget(
        actionButton(cs, 'Withdraw approval', ACTIONS.decide, {
          lessonId: view.id,
          decision: 'decline',
        }),
      );
  } else {
    decision
      .addWidget(
        actionButton(
          cs,
          'Approve',
          ACTIONS.decide,
          { lessonId: view.id, decision: 'approve' },
          true,
        ),
      )
      .addWidget(
        cs
          .newTextInput()
          .setFieldName('reason')
          .setTitle('Reason for declining (the teacher will see it)')
          .setHint('Needed only to decline')
          .setMultiline(true),
      )
      .addWidget(
        actionButton(cs, 'Decline', ACTIONS.decide, { lessonId: view.id, decision: 'decline' }),
      );
  }
  card.addSection(decision);
  return card.build();
}

/** Ending is for everyone and cannot be undone: it is asked once more (nothing ends before). */
export function endLessonCard(cs: CS, view: LessonView, from: 'home' | 'lesson') {
  const params = (action: string) => ({ lessonId: view.id, action, from });
  return cs
    .newCardBuilder()
    .setName(CARD_NAMES.endLesson(view.id))
    .setHeader(
      cs
        .newCardHeader()
        .setTitle('End the lesson for everyone?')
        .setSubtitle(escapeHtml(`${view.title} · ${view.when}`)),
    )
    .addSection(
      cs
        .newCardSection()
        .addWidget(
          paragraph(
            cs,
            'Everyone leaves the call now, pupils and staff. The link is removed from Classroom and the room is locked: nobody can join again, you included.',
          ),
        )
        .addWidget(
          cs
            .newButtonSet()
            .addButton(actionButton(cs, END_CONFIRM, ACTIONS.lessonAction, params('end'), true))
            .addButton(actionButton(cs, GO_BACK, ACTIONS.lessonAction, params('back'))),
        ),
    )
    .build();
}

export interface ScheduleFormValues {
  courseId?: string;
  title?: string;
  start?: number;
  minutes?: number;
  secondStaff?: string;
  otherStaff?: string;
}

export interface ScheduleFormModel {
  courses: Course[];
  defaultMinutes: number;
  maxMinutes: number;
  staff: { email: string; name: string }[];
  timeZone: string;
  nowMs: number;
  /** Why the lesson cannot be scheduled as it is (refusals). */
  problems: string[];
  /** What the policy will flag for SLT if it is scheduled as it is. */
  warnings: string[];
  /** True once the teacher has asked for a check: "nothing flagged" is then worth saying. */
  checked?: boolean;
  /** What the teacher entered (or the Calendar event held), kept across re-renders. */
  values?: ScheduleFormValues;
  /** The Calendar event the form was made from, if any. */
  fromEvent?: string;
}

export const LESSON_LENGTHS = [15, 20, 30, 45, 60];

export function scheduleCard(cs: CS, m: ScheduleFormModel) {
  const v = m.values ?? {};
  const header = cs.newCardHeader().setTitle('Schedule a live lesson');
  if (m.fromEvent) header.setSubtitle(escapeHtml(`From your event: ${m.fromEvent}`));
  const card = cs.newCardBuilder().setName(CARD_NAMES.schedule).setHeader(header);
  addNotes(cs, card, 'Please fix before scheduling', m.problems);
  if (m.warnings.length > 0) {
    addNotes(cs, card, 'The policy will flag this lesson to SLT', m.warnings);
  } else if (m.checked && m.problems.length === 0) {
    card.addSection(
      cs
        .newCardSection()
        .addWidget(paragraph(cs, 'Checked: the policy flags nothing for this lesson.')),
    );
  }
  const courseId = v.courseId ?? m.courses[0]?.id;
  const course = cs
    .newSelectionInput()
    .setType(cs.SelectionInputType.DROPDOWN)
    .setTitle('Class')
    .setFieldName('courseId')
    .setOnChangeAction(cs.newAction().setFunctionName(ACTIONS.checkSchedule));
  for (const c of m.courses) course.addItem(escapeHtml(c.name), c.id, c.id === courseId);
  const minutes = v.minutes ?? m.defaultMinutes;
  const length = cs
    .newSelectionInput()
    .setType(cs.SelectionInputType.DROPDOWN)
    .setTitle(`Length (the school's limit is ${m.maxMinutes} minutes)`)
    .setFieldName('minutes');
  const lengths = LESSON_LENGTHS.filter((n) => n <= Math.max(m.maxMinutes, 15));
  // A Calendar event of another length keeps it, so the check can say what is wrong with it.
  if (Number.isFinite(minutes) && minutes > 0 && !lengths.includes(minutes)) lengths.push(minutes);
  for (const n of lengths.sort((a, b) => a - b)) {
    const over = n > m.maxMinutes ? ' (over the limit)' : '';
    length.addItem(`${n} minutes${over}`, String(n), n === minutes);
  }
  const second = cs
    .newSelectionInput()
    .setType(cs.SelectionInputType.DROPDOWN)
    .setTitle('Second member of staff (from the class’s teachers)')
    .setFieldName('secondStaff');
  second.addItem('Choose…', '', !v.secondStaff);
  for (const s of m.staff) second.addItem(escapeHtml(s.name), s.email, s.email === v.secondStaff);
  const title = cs
    .newTextInput()
    .setFieldName('title')
    .setTitle('Title')
    .setHint('e.g. Year 5 phonics');
  if (v.title) title.setValue(v.title);
  const other = cs
    .newTextInput()
    .setFieldName('otherStaff')
    .setTitle('…or another member of staff (school email)')
    .setHint('Anyone in the school’s staff directory');
  if (v.otherStaff) other.setValue(v.otherStaff);
  const form = cs
    .newCardSection()
    .addWidget(
      m.courses.length > 0
        ? course
        : paragraph(cs, 'Google Classroom lists no active classes that you teach.'),
    )
    .addWidget(title)
    .addWidget(
      cs
        .newDateTimePicker()
        .setFieldName('start')
        .setTitle('Starts')
        .setValueInMsSinceEpoch(v.start ?? m.nowMs + 24 * 3_600_000),
    )
    .addWidget(length)
    .addWidget(second)
    .addWidget(other)
    .addWidget(
      paragraph(
        cs,
        'Pupils are never invited to the event. The Meet link goes to the class on Classroom only once you are in the call.',
      ),
    )
    .addWidget(actionButton(cs, 'Check with the policy', ACTIONS.checkSchedule));
  if (m.fromEvent)
    form.addWidget(
      paragraph(
        cs,
        'This makes a new lesson event in your calendar, with staff guests only; delete the original event if you no longer need it.',
      ),
    );
  card.addSection(form);
  card.setFixedFooter(
    cs
      .newFixedFooter()
      .setPrimaryButton(actionButton(cs, 'Schedule', ACTIONS.scheduleLesson, {}, true)),
  );
  return card.build();
}

/** A Calendar event that is not a lesson: offer to make one from it. */
export function eventOfferCard(
  cs: CS,
  event: { title: string; when: string; start: number; minutes: number } | null,
) {
  const card = cs
    .newCardBuilder()
    .setHeader(
      cs
        .newCardHeader()
        .setTitle('Safe Live Lessons')
        .setSubtitle('This event is not a live lesson'),
    );
  const section = cs.newCardSection();
  if (event) {
    section
      .addWidget(labelled(cs, event.when, event.title || '(no title)'))
      .addWidget(
        actionButton(
          cs,
          'Make it a live lesson',
          ACTIONS.showScheduleForm,
          { title: event.title, start: String(event.start), minutes: String(event.minutes) },
          true,
        ),
      );
  } else {
    section.addWidget(
      paragraph(cs, 'This event cannot be read as a lesson (it may be all-day or not yours).'),
    );
  }
  card.addSection(section);
  return card.build();
}

export function logCard(cs: CS, view: LessonView, facts: string[]) {
  const card = cs
    .newCardBuilder()
    .setName(CARD_NAMES.log(view.id))
    .setHeader(
      cs
        .newCardHeader()
        .setTitle(`Log: ${escapeHtml(view.title)}`)
        .setSubtitle(escapeHtml(view.when)),
    );
  const known = cs.newCardSection().setHeader('What the system recorded');
  for (const fact of facts) known.addWidget(paragraph(cs, fact));
  card.addSection(known);
  card.addSection(
    cs
      .newCardSection()
      .setHeader('Your log (sent to SLT)')
      .addWidget(
        cs
          .newTextInput()
          .setFieldName('technologyIssues')
          .setTitle('Any technology issues?')
          .setMultiline(true),
      )
      .addWidget(
        cs
          .newTextInput()
          .setFieldName('inappropriateBehaviour')
          .setTitle('Any inappropriate behaviour?')
          .setMultiline(true),
      )
      .addWidget(
        cs
          .newTextInput()
          .setFieldName('shareWithSlt')
          .setTitle('Anything to share with SLT?')
          .setMultiline(true),
      ),
  );
  card.setFixedFooter(
    cs
      .newFixedFooter()
      .setPrimaryButton(
        actionButton(cs, 'Send log', ACTIONS.submitLog, { lessonId: view.id }, true),
      ),
  );
  return card.build();
}

/** A section of plain-text notes under a header; nothing when there are none. */
function addNotes(
  cs: CS,
  card: GoogleAppsScript.Card_Service.CardBuilder,
  header: string,
  notes: readonly string[],
): void {
  if (notes.length === 0) return;
  const section = cs.newCardSection().setHeader(escapeHtml(header));
  for (const note of notes) section.addWidget(paragraph(cs, note));
  card.addSection(section);
}
