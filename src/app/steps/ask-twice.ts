// R10, R28: a safety step (taking a link off Classroom, ending a call) asks Google twice, in the
// same round, for a lesson it failed before (lesson.ts `safetyStepFailedLately`), so that one
// request lost again does not leave the link up or the call running another minute. A request
// Google leaves unanswered costs UrlFetch a minute, and its round's other answers with it, so
// the monitor's tries within a run come a minute apart; a second request in the same round
// saves that minute. The second request is safe: Classroom answers "already gone" for a
// post that was deleted, and Meet's endActiveConference "Ends an active conference (if there's
// one)".
// doc: https://developers.google.com/classroom/reference/rest/v1/courses.announcements/delete
// doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/spaces/endActiveConference

/**
 * Sends `items`, and once more the ones `twice` picks, all in one call to `send` (which answers
 * one per item, in order), and returns one answer per item, in order: for an item asked twice,
 * `either` merges its two answers (the first, then the second).
 */
export function askTwice<T, A>(
  items: readonly T[],
  twice: (item: T) => boolean,
  send: (items: readonly T[]) => readonly A[],
  either: (first: A, second: A) => A,
): A[] {
  const again = items.flatMap((item, i) => (twice(item) ? [i] : []));
  const answers = send([...items, ...again.map((i) => items[i]!)]);
  const merged = items.map((_, i) => answers[i] as A);
  again.forEach((i, k) => {
    merged[i] = either(merged[i]!, answers[items.length + k] as A);
  });
  return merged;
}
