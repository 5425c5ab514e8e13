// The names the sidebar navigates by: the function each button runs (Apps Script calls it by
// name; main.ts makes each one global) and each card's name (CardBuilder.setName).

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

/** Card names (CardBuilder.setName), for navigation; never shown to anyone. */
export const CARD_NAMES = {
  home: 'home',
  lesson: (id: string) => `lesson:${id}`,
  review: (id: string) => `review:${id}`,
  endLesson: (id: string) => `end:${id}`,
  log: (id: string) => `log:${id}`,
  schedule: 'schedule',
} as const;
