// R15, R26: the incident form, in the shape of policy 004's Appendix I (who was involved,
// where, the checklist of types, what happened) with Appendix J's immediate action. Nothing is
// chosen for the reporter: every required field says so, and a form sent back with a problem
// keeps what was typed and ticked.

import {
  INCIDENT_ACTIONS,
  INCIDENT_PLACES,
  INCIDENT_ROLES,
  INCIDENT_TYPES,
} from '../core/incident';
import { actionButton, type CS, escapeHtml, paragraph } from './card-kit';
import { ACTIONS } from './navigation';

/** The person dropdown's value for "someone not on the roster". */
export const SOMEONE_ELSE = 'other';

export type IncidentFormValues = Partial<
  Record<'person' | 'otherPerson' | 'role' | 'where' | 'details' | 'action', string>
> & { types?: string[] };

export interface IncidentFormModel {
  lessonId: string;
  title: string;
  when: string;
  /** The class roster: value is the pupil's key (email or id:...). */
  pupils: { key: string; name: string }[];
  /** The reporter may end the lesson from here (its teacher, while it runs). */
  canEnd: boolean;
  /** The lesson is running but the reporter cannot end it (the second adult). */
  liveForOthers: boolean;
  /** "Teacher of the lesson" / "Second adult in the lesson". */
  reportingAs: string;
  problems: string[];
  dslNamed: boolean;
  /** What the reporter entered, kept when the form comes back with problems. */
  values?: IncidentFormValues;
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
    .setTitle('Who was involved (required)')
    .setFieldName('person');
  person.addItem('Choose…', '', !v.person);
  for (const p of m.pupils) person.addItem(escapeHtml(p.name), p.key, p.key === v.person);
  person.addItem('Someone else (type the name below)', SOMEONE_ELSE, v.person === SOMEONE_ELSE);
  const otherPerson = cs
    .newTextInput()
    .setFieldName('otherPerson')
    .setTitle('Name, if not on the class list')
    .setHint('e.g. a parent or another adult');
  if (v.otherPerson) otherPerson.setValue(v.otherPerson);
  const role = radio(cs, 'role', 'They were the (required)', INCIDENT_ROLES, v.role);
  const types = cs
    .newSelectionInput()
    .setType(cs.SelectionInputType.CHECK_BOX)
    .setTitle('Type of incident (required: tick all that apply)')
    .setFieldName('nature');
  for (const t of INCIDENT_TYPES) types.addItem(t, t, (v.types ?? []).includes(t));
  const where = radio(cs, 'where', 'Where it took place (required)', INCIDENT_PLACES, v.where);
  const details = cs
    .newTextInput()
    .setFieldName('details')
    .setTitle('What happened (required): what, when, how, any evidence')
    .setMultiline(true);
  if (v.details) details.setValue(v.details);
  // The second adult cannot end the teacher's call from here (see report-incident.ts).
  const actions = Object.fromEntries(
    Object.entries(INCIDENT_ACTIONS)
      .filter(([value]) => !(value === 'ended' && m.liveForOthers))
      .map(([value, label]) => [
        value,
        value === 'ended' && m.canEnd ? `${label} (ends it now)` : label,
      ]),
  );
  const action = radio(cs, 'action', 'What you did (required)', actions, v.action);
  const section = cs
    .newCardSection()
    .addWidget(paragraph(cs, `Reporting as: ${m.reportingAs}.`))
    .addWidget(person)
    .addWidget(otherPerson)
    .addWidget(role)
    .addWidget(types)
    .addWidget(where)
    .addWidget(details)
    .addWidget(action);
  if (m.liveForOthers)
    section.addWidget(
      paragraph(
        cs,
        'To end the lesson for everyone, ask the teacher to end it from their sidebar now.',
      ),
    );
  section.addWidget(
    paragraph(
      cs,
      m.dslNamed
        ? 'This reaches the DSL by email at once, puts the lesson’s recording on hold and goes into the incident log. A pupil you removed is marked so SLT follow up before they join again.'
        : 'No DSL is named in the school settings: the report goes to SLT. Tell your DSL in person as well.',
    ),
  );
  card.addSection(section);
  card.setFixedFooter(
    cs
      .newFixedFooter()
      .setPrimaryButton(
        actionButton(cs, 'Send to the DSL', ACTIONS.reportIncident, { lessonId: m.lessonId }, true),
      ),
  );
  return card.build();
}

/** Radio buttons with nothing chosen unless the reporter chose it. */
function radio(
  cs: CS,
  field: string,
  title: string,
  options: Record<string, string>,
  chosen: string | undefined,
) {
  const input = cs
    .newSelectionInput()
    .setType(cs.SelectionInputType.RADIO_BUTTON)
    .setTitle(title)
    .setFieldName(field);
  for (const [value, label] of Object.entries(options))
    input.addItem(label, value, value === chosen);
  return input;
}
