// The scheduling form (R1, R5): class, title, start, length and the second adult, with what the
// policy would refuse or flag shown before the teacher schedules; and the offer to make a lesson
// of a Calendar event that is not one.

import type { Course } from '../core/ports';
import { actionButton, addNotes, type CS, escapeHtml, labelled, paragraph } from './card-kit';
import { ACTIONS, CARD_NAMES } from './navigation';

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
