// A lesson's cards for its teacher: the lesson itself (the room first while it is open, then
// the one next step), the confirmation before ending it for everyone, and the log form.
//
// Layout follows Google's card guidance: one task per card, the most important thing first,
// few widgets, a filled button for the one primary action
// (doc: https://developers.google.com/workspace/add-ons/concepts/cards), and a toggle that
// shows its own state (a Switch inside a DecoratedText,
// doc: https://developers.google.com/apps-script/reference/card-service/switch).

import type { LessonView } from '../core/lesson-view';
import { actionButton, addNotes, type CS, escapeHtml, labelled, paragraph } from './card-kit';
import { ACTIONS, CARD_NAMES } from './navigation';

export const END_CONFIRM = 'End the lesson for everyone';
export const GO_BACK = 'Go back';

/** A lesson's card for its teacher: the room first while it is open, then the one next step. */
export function lessonCard(cs: CS, view: LessonView) {
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
