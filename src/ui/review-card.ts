// The approver's card for one lesson (R2): everything they need to decide, then the decision.

import type { ApprovalView } from '../core/lesson-view';
import { actionButton, type CS, escapeHtml, labelled, paragraph } from './card-kit';
import { ACTIONS, CARD_NAMES } from './navigation';

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
