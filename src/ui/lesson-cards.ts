// The teacher's sidebar: homepage (today and the week, with the one next action),
// a lesson's card, the scheduling form and the log form. Cards only lay out view
// models computed by the core (lesson-view.ts).

import type { LessonView } from '../core/lesson-view';
import type { Course } from '../core/ports';
import { actionButton, type CS, escapeHtml, labelled, paragraph } from './card-kit';

export const ACTIONS = {
  showLesson: 'showLesson',
  showScheduleForm: 'showScheduleForm',
  scheduleLesson: 'scheduleLessonAction',
  lessonAction: 'lessonAction',
  submitLog: 'submitLogAction',
  decide: 'decideAction',
  home: 'onHomepage',
} as const;

export function homepageCard(
  cs: CS,
  input: {
    today: LessonView[];
    week: LessonView[];
    approvals: LessonView[];
    notice: string | null;
  },
) {
  const card = cs
    .newCardBuilder()
    .setHeader(
      cs.newCardHeader().setTitle('Safe Live Lessons').setSubtitle('Live lessons, safely'),
    );
  if (input.notice) card.addSection(cs.newCardSection().addWidget(paragraph(cs, input.notice)));
  const list = (title: string, lessons: LessonView[], empty: string) => {
    const section = cs.newCardSection().setHeader(escapeHtml(title));
    if (lessons.length === 0) section.addWidget(paragraph(cs, empty));
    for (const l of lessons) {
      section.addWidget(
        cs
          .newDecoratedText()
          .setTopLabel(escapeHtml(l.when))
          .setText(`<b>${escapeHtml(l.title)}</b> · ${escapeHtml(l.course)}`)
          .setBottomLabel(escapeHtml(l.status))
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
            { lessonId: l.id, action: l.next.id },
            true,
          ),
        );
      }
    }
    card.addSection(section);
  };
  if (input.approvals.length > 0) {
    const section = cs.newCardSection().setHeader('Awaiting your approval');
    for (const l of input.approvals) {
      section.addWidget(labelled(cs, `${l.when} · ${l.course}`, l.title));
      section.addWidget(
        cs
          .newButtonSet()
          .addButton(
            actionButton(
              cs,
              'Approve',
              ACTIONS.decide,
              { lessonId: l.id, decision: 'approve' },
              true,
            ),
          )
          .addButton(
            actionButton(cs, 'Decline', ACTIONS.showLesson, { lessonId: l.id, decide: 'yes' }),
          ),
      );
    }
    card.addSection(section);
  }
  list('Today', input.today, 'No live lessons today.');
  list('This week', input.week, 'Nothing else this week.');
  card.setFixedFooter(
    cs
      .newFixedFooter()
      .setPrimaryButton(actionButton(cs, 'Schedule a lesson', ACTIONS.showScheduleForm)),
  );
  return card.build();
}

export function lessonCard(cs: CS, view: LessonView, options: { canDecide: boolean }) {
  const card = cs.newCardBuilder().setHeader(
    cs
      .newCardHeader()
      .setTitle(escapeHtml(view.title))
      .setSubtitle(escapeHtml(`${view.course} · ${view.when}`)),
  );
  const main = cs.newCardSection().addWidget(labelled(cs, 'Status', view.status));
  if (view.meetingUri) {
    main.addWidget(
      cs
        .newTextButton()
        .setText('Join your room in Meet')
        .setOpenLink(cs.newOpenLink().setUrl(view.meetingUri).setOpenAs(cs.OpenAs.FULL_SIZE)),
    );
  }
  if (view.next)
    main.addWidget(
      actionButton(
        cs,
        view.next.label,
        ACTIONS.lessonAction,
        { lessonId: view.id, action: view.next.id },
        true,
      ),
    );
  for (const more of view.more)
    main.addWidget(
      actionButton(cs, more.label, ACTIONS.lessonAction, { lessonId: view.id, action: more.id }),
    );
  card.addSection(main);
  if (view.notes.length > 0) {
    const notes = cs.newCardSection().setHeader('Flags for SLT');
    for (const note of view.notes) notes.addWidget(paragraph(cs, note));
    card.addSection(notes);
  }
  if (options.canDecide) {
    card.addSection(
      cs
        .newCardSection()
        .setHeader('Approval')
        .addWidget(
          cs
            .newTextInput()
            .setFieldName('reason')
            .setTitle('Reason (needed to decline)')
            .setMultiline(true),
        )
        .addWidget(
          cs
            .newButtonSet()
            .addButton(
              actionButton(
                cs,
                'Approve',
                ACTIONS.decide,
                { lessonId: view.id, decision: 'approve' },
                true,
              ),
            )
            .addButton(
              actionButton(cs, 'Decline', ACTIONS.decide, {
                lessonId: view.id,
                decision: 'decline',
              }),
            ),
        ),
    );
  }
  return card.build();
}

export interface ScheduleFormModel {
  courses: Course[];
  defaultMinutes: number;
  maxMinutes: number;
  staff: { email: string; name: string }[];
  timeZone: string;
  nowMs: number;
  problems: string[];
  warnings: string[];
}

export function scheduleCard(cs: CS, m: ScheduleFormModel) {
  const card = cs.newCardBuilder().setHeader(cs.newCardHeader().setTitle('Schedule a live lesson'));
  if (m.problems.length > 0 || m.warnings.length > 0) {
    const section = cs
      .newCardSection()
      .setHeader(m.problems.length > 0 ? 'Please fix' : 'The policy will flag');
    for (const p of [...m.problems, ...m.warnings]) section.addWidget(paragraph(cs, p));
    card.addSection(section);
  }
  const course = cs
    .newSelectionInput()
    .setType(cs.SelectionInputType.DROPDOWN)
    .setTitle('Class')
    .setFieldName('courseId');
  m.courses.forEach((c, i) => {
    course.addItem(escapeHtml(c.name), c.id, i === 0);
  });
  const length = cs
    .newSelectionInput()
    .setType(cs.SelectionInputType.DROPDOWN)
    .setTitle('Length')
    .setFieldName('minutes');
  for (const minutes of [15, 20, 30, 45, 60].filter((n) => n <= Math.max(m.maxMinutes, 15))) {
    length.addItem(`${minutes} minutes`, String(minutes), minutes === m.defaultMinutes);
  }
  const second = cs
    .newSelectionInput()
    .setType(cs.SelectionInputType.DROPDOWN)
    .setTitle('Second member of staff')
    .setFieldName('secondStaff');
  second.addItem('Choose…', '', true);
  for (const s of m.staff) second.addItem(escapeHtml(s.name), s.email, false);
  const form = cs
    .newCardSection()
    .addWidget(
      m.courses.length > 0
        ? course
        : paragraph(cs, 'Google Classroom lists no active classes that you teach.'),
    )
    .addWidget(
      cs.newTextInput().setFieldName('title').setTitle('Title').setHint('e.g. Year 5 phonics'),
    )
    .addWidget(
      cs
        .newDateTimePicker()
        .setFieldName('start')
        .setTitle('Starts')
        .setValueInMsSinceEpoch(m.nowMs + 24 * 3_600_000),
    )
    .addWidget(length)
    .addWidget(second)
    .addWidget(
      paragraph(
        cs,
        `Pupils are never invited to the event. The Meet link goes to the class on Classroom only once you are in the call.`,
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

export function logCard(cs: CS, view: LessonView, facts: string[]) {
  const card = cs.newCardBuilder().setHeader(
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
