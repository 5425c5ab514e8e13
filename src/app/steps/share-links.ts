// R6: the link goes to the class, through the Classroom stream only, once the teacher is in
// the call. Every lesson whose teacher has just joined is shared in one batch. A post is
// marked "posting" before it is created (in one write for the batch), so a lost answer is
// found by its marker, never posted twice; a post still "posting" from an earlier run is
// looked for before anything is posted again. R21: a link taken down while no member of staff
// was in the call goes back the same way, as a new post with its own marker, once the teacher
// is seen in the call again (a fresh proof), before the withdrawal time.

import { isFailure } from '../../core/errors';
import { flag } from '../../core/flags';
import type { HostInCall } from '../../core/host-presence';
import { endAsked, inCallOf, openGap } from '../../core/in-call';
import {
  addFlags,
  beginPosting,
  type Lesson,
  noteGoogleFailure,
  notePostingFailed,
  type OpenLesson,
  postingFailed,
  resumePosting,
  shareLink,
} from '../../core/lesson';
import { sharingClosedAt } from '../../core/lifecycle-plan';
import type { Notice } from '../../core/ports';
import { shareHeldBack } from '../../core/share-policy';
import { localTime } from '../../core/time';
import type { Deps } from '../deps';
import { googleFailureOf } from '../health';
import { claim, outcome, releasing, type StepOutcome } from '../lesson-commits';
import { postMarker, streamPost } from './stream-post';

export function shareLinks(
  deps: Deps,
  items: readonly {
    lesson: OpenLesson;
    proof: HostInCall;
    /** What the look that made the proof saw (a gap now over), applied before claiming. */
    update?: (fresh: OpenLesson) => OpenLesson;
  }[],
): StepOutcome {
  const now = deps.clock.now();
  const proofs = new Map(items.map((i) => [i.lesson.id, i.proof]));
  const updates = new Map(items.map((i) => [i.lesson.id, i.update]));
  // Posts already "posting" before this claim: an earlier attempt whose answer was lost.
  const earlier = new Set<string>();
  const claimed = claim(
    deps,
    items.map((i) => i.lesson),
    (stored) => {
      if (stored.status !== 'open') return null;
      const update = updates.get(stored.id);
      const fresh = update ? update(stored) : stored;
      if (now >= sharingClosedAt(fresh, deps.settings.withdrawBeforeEndMinutes)) return null;
      if (fresh.post.state === 'none')
        return shareHeldBack(fresh, deps.settings) ? null : beginPosting(fresh, now);
      if (fresh.post.state === 'paused') {
        const proof = proofs.get(fresh.id)!;
        const inCall = inCallOf(fresh);
        const back =
          proof.seenAt >= fresh.post.withdrawnAt &&
          openGap(inCall) === null &&
          !endAsked(inCall) &&
          inCall.end === null &&
          !shareHeldBack(fresh, deps.settings);
        return back ? resumePosting(fresh, proof, now) : null;
      }
      if (fresh.post.state !== 'posting') return null;
      earlier.add(fresh.id);
      return fresh;
    },
  );
  if (!claimed) return outcome({ failed: items.length, retrySoon: items.map((i) => i.lesson.id) });
  const ready = claimed.claimed as OpenLesson[];
  // Posts whose creation answer was lost earlier: find them before posting again.
  const lost = ready.filter((l) => earlier.has(l.id));
  const found = deps.stream.find(
    lost.map((l) => ({ teacher: l.teacher, courseId: l.courseId, marker: postMarker(l) })),
  );
  const postIds = new Map<string, string | Error>();
  lost.forEach((l, i) => {
    const answer = found[i]!;
    if (answer !== null) postIds.set(l.id, answer);
  });
  const toPost = ready.filter((l) => !postIds.has(l.id));
  const posted = deps.stream.post(
    toPost.map((l) => ({
      teacher: l.teacher,
      courseId: l.courseId,
      post: streamPost(deps.settings, l),
    })),
  );
  toPost.forEach((l, i) => {
    postIds.set(l.id, posted[i]!);
  });
  // Answers to a create sent now (not to the search for an earlier one).
  const postedNow = new Set(toPost.map((l) => l.id));

  // When the links went up: Classroom's answer has come back (the log and SLT see this time).
  const sharedAt = deps.clock.now();
  const retrySoon: string[] = [];
  const notices: Notice[] = [];
  let refused = 0;
  const changes = ready.map((lesson) => {
    const answer = postIds.get(lesson.id)!;
    if (isFailure(answer, 'forbidden') && postedNow.has(lesson.id)) {
      // Classroom will not let the teacher post to this class (they no longer teach it): no post
      // was made, so none is waited for. The teacher and SLT hear it once; it is tried again
      // each minute in case the teacher is added back.
      refused += 1;
      const failure = googleFailureOf(answer);
      const first = !(
        lesson.googleFailure?.kind === 'forbidden' &&
        lesson.googleFailure.service === failure.service
      );
      if (first) notices.push(postRefusedNotice(deps, lesson, answer.message));
      return releasing(lesson.id, (fresh) =>
        fresh.status === 'open' && fresh.post.state === 'posting'
          ? noteGoogleFailure(postingFailed(fresh), failure, sharedAt)
          : fresh,
      );
    }
    if (answer instanceof Error) {
      // Still "posting": the next look finds the post if it was made, or posts it. R28: when
      // Classroom has failed for minutes the teacher, in the call with the class waiting, hears
      // why once; the log will say the link went up late because of Google.
      retrySoon.push(lesson.id);
      const post = lesson.post;
      const tell =
        isFailure(answer, 'transient') &&
        post.state === 'posting' &&
        post.toldAt === undefined &&
        post.failedSince !== undefined &&
        sharedAt - post.failedSince >= TELL_TEACHER_AFTER_MS;
      if (tell) notices.push(shareWaitsNotice(deps, lesson, post.failedSince!, answer));
      return releasing(lesson.id, (fresh) =>
        fresh.status === 'open' ? notePostingFailed(fresh, sharedAt, tell) : fresh,
      );
    }
    deps.log.info(`shared link for ${lesson.id}`);
    const proof = proofs.get(lesson.id)!;
    return releasing(lesson.id, (fresh) => made(deps, fresh, proof, answer, sharedAt));
  });
  return outcome({
    changes,
    notices,
    done: ready.length - retrySoon.length - refused,
    failed: retrySoon.length + refused,
    retrySoon,
    busy: claimed.busy,
  });
}

/** R28: the teacher and SLT hear, in plain words, that the link could not go to the class. */
function postRefusedNotice(deps: Deps, lesson: Lesson, detail: string): Notice {
  return {
    to: [lesson.teacher, ...deps.settings.sltEmails],
    subject: `Link NOT shared: ${lesson.title} (${lesson.courseName})`,
    urgency: 'now',
    body: `Google Classroom refused to post the link of lesson ${lesson.id} (${lesson.courseName}, ${lesson.teacher}) to the class: "${detail.slice(0, 200)}". This usually means ${lesson.teacher} is no longer a teacher of the class in Classroom. Pupils have not been given the link. The automation tries again each minute until the link is due to come down; if the class should have this lesson, add the teacher back to the class in Classroom, or end the lesson in Meet.`,
  };
}

/** Minutes of Classroom failing to take the post before the teacher is told (3 failed looks). */
export const TELL_TEACHER_AFTER_MS = 3 * 60_000;

/** R28: the teacher is in the call and the class cannot join; said once, in plain words. */
function shareWaitsNotice(deps: Deps, lesson: Lesson, since: number, error: Error): Notice {
  const at = localTime(since, deps.settings.timeZone);
  const why = googleFailureOf(error).detail;
  return {
    to: [lesson.teacher],
    subject: `Link NOT shared yet: ${lesson.title} (${lesson.courseName})`,
    urgency: 'now',
    body: `Google Classroom has not taken the link of lesson ${lesson.id} (${lesson.courseName}) since ${at} (${why}), so the class does not have it yet and pupils cannot join. Nothing is wrong with your lesson: the automation tries again every minute and posts the link the moment Classroom answers, until the link is due to come down. The admin has been told that Classroom is failing. The log will say the link went up late because of Google.`,
  };
}

/** R28, R18: the log says the link went up late because Google failed, not the teacher. */
function sharedLateFlag(deps: Deps, since: number, now: number) {
  const tz = deps.settings.timeZone;
  const minutes = Math.round((now - since) / 60_000);
  return flag(
    'google-failed',
    `The link went up on Classroom at ${localTime(now, tz)}, ${minutes} minute${minutes === 1 ? '' : 's'} late: Google Classroom failed to take it from ${localTime(since, tz)}. Pupils could not join before then.`,
  );
}

/**
 * The post exists. Normally the lesson is still "posting" and the link is now live. If the
 * link was withdrawn (or paused) meanwhile (the lesson was cancelled, staff left), the post is
 * recorded as live so the withdrawal step deletes it at once.
 */
function made(deps: Deps, fresh: Lesson, proof: HostInCall, postId: string, now: number): Lesson {
  if (fresh.status !== 'open' && !('post' in fresh)) return fresh;
  if (fresh.status === 'open' && fresh.post.state === 'posting') {
    const shared = shareLink(fresh, proof, postId, now);
    const since = fresh.post.failedSince;
    return since === undefined ? shared : addFlags(shared, [sharedLateFlag(deps, since, now)]);
  }
  if (
    'post' in fresh &&
    (fresh.post.state === 'withdrawn' || fresh.post.state === 'paused') &&
    fresh.post.id === null
  )
    return {
      ...fresh,
      post: { state: 'live', id: postId, sharedAt: now },
      version: fresh.version + 1,
    };
  return fresh;
}
