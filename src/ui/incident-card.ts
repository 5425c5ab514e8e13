// R15: the incident form, in the shape of policy 004's Appendix I cut down to what a teacher
// can say in the moment: who (target or offender), what kind, what happened, what was done.

import { INCIDENT_ACTIONS, INCIDENT_NATURES, INCIDENT_ROLES } from '../core/incident';
import { actionButton, type CS, escapeHtml, paragraph } from './card-kit';
import { ACTIONS } from './lesson-cards';

/** The person dropdown's value for "someone not on the roster". */
export const SOMEONE_ELSE = 'other';

export interface IncidentFormModel {
  lessonId: string;
  title: string;
  when: string;
  /** The class roster: value is the pupil's key (email or id:...). */
  pupils: { key: string; name: string }[];
  /** The lesson is still running: "end the lesson" ends it now. */
  live: boolean;
  problems: string[];
  dslNamed: boolean;
  /** What the teacher entered, kept when the form comes back with problems. */
  values?: Partial<
    Record<'person' | 'otherPerson' | 'role' | 'nature' | 'details' | 'action', string>
  >;
}

export function incidentCard(cs: CS, m: IncidentFormModel) {
  const v = m.values ?? {};
  const card = cs.newCardBuilder().setHeader(
    cs
      .newCardHeader()
      .setTitle('Report an incident')
      .setSubtitle(escapeHtml(`${m.title} · ${m.when}`)),
  );
  if (m.problems.length > 0) {
    const section = cs.newCardSection().setHeader('Please fix');
    for (const p of m.problems) section.addWidget(paragraph(cs, p));
    card.addSection(section);
  }
  const person = cs
    .newSelectionInput()
    .setType(cs.SelectionInputType.DROPDOWN)
    .setTitle('Who was involved')
    .setFieldName('person');
  person.addItem('Choose…', '', !v.person);
  for (const p of m.pupils) person.addItem(escapeHtml(p.name), p.key, p.key === v.person);
  person.addItem('Someone else (type the name below)', SOMEONE_ELSE, v.person === SOMEONE_ELSE);
  const role = cs
    .newSelectionInput()
    .setType(cs.SelectionInputType.RADIO_BUTTON)
    .setTitle('They were the')
    .setFieldName('role');
  for (const [value, label] of Object.entries(INCIDENT_ROLES))
    role.addItem(label, value, value === (v.role ?? 'O'));
  const nature = cs
    .newSelectionInput()
    .setType(cs.SelectionInputType.DROPDOWN)
    .setTitle('What kind of incident')
    .setFieldName('nature');
  nature.addItem('Choose…', '', !v.nature);
  for (const n of INCIDENT_NATURES) nature.addItem(n, n, n === v.nature);
  const action = cs
    .newSelectionInput()
    .setType(cs.SelectionInputType.RADIO_BUTTON)
    .setTitle('What you did')
    .setFieldName('action');
  for (const [value, label] of Object.entries(INCIDENT_ACTIONS)) {
    const text = value === 'ended' && m.live ? `${label} (ends it now)` : label;
    action.addItem(text, value, value === (v.action ?? 'warned'));
  }
  const otherPerson = cs
    .newTextInput()
    .setFieldName('otherPerson')
    .setTitle('Name, if not on the class list')
    .setHint('e.g. a parent or another adult');
  if (v.otherPerson) otherPerson.setValue(v.otherPerson);
  const details = cs
    .newTextInput()
    .setFieldName('details')
    .setTitle('What happened (what, when, how, any evidence)')
    .setMultiline(true);
  if (v.details) details.setValue(v.details);
  card.addSection(
    cs
      .newCardSection()
      .addWidget(person)
      .addWidget(otherPerson)
      .addWidget(role)
      .addWidget(nature)
      .addWidget(details)
      .addWidget(action)
      .addWidget(
        paragraph(
          cs,
          m.dslNamed
            ? 'This reaches the DSL by email at once, puts the lesson’s recording on hold and goes into the incident log. A pupil you removed is marked so SLT follow up before they join again.'
            : 'No DSL is named in the school settings: the report goes to SLT. Tell your DSL in person as well.',
        ),
      ),
  );
  card.setFixedFooter(
    cs
      .newFixedFooter()
      .setPrimaryButton(
        actionButton(cs, 'Send to the DSL', ACTIONS.reportIncident, { lessonId: m.lessonId }, true),
      ),
  );
  return card.build();
}
