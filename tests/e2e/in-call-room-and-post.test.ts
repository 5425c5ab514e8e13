// What the room and the post carry (R9, R24), end to end through the shipped bundle: the
// Classroom post that brings the link also brings the school's short code of conduct, so pupils
// and parents see the rules with the link; and where the school says so, pupils join the call as
// viewers (Meet's defaultJoinAsViewerType), without microphone or camera until the teacher lets
// them contribute.

import { DEFAULT_CODE_OF_CONDUCT } from '../../src/core/settings';
import { DeployedSchool, monday } from './deployed-school';
import { roomLink, scheduleFor, teacherJoinsAndShares } from './scenario-kit';

describe('the room and the post (R9, R24)', () => {
  it('puts the school’s code of conduct in the Classroom post with the link', () => {
    const school = new DeployedSchool();
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    const [post] = school.ws.classroom.announcementsVisibleTo(
      s.course.pupils[0]!.email,
      s.course.id,
    );
    expect(post!.materials?.[0]?.link?.url).toBe(link);
    expect(post!.text).toContain(DEFAULT_CODE_OF_CONDUCT);
    expect(post!.text).toMatch(/not a bedroom/);
    expect(post!.text).toMatch(/Do not record, screenshot or photograph/);
  });

  it('uses the school’s own wording when SLT set codeOfConduct', () => {
    const rules = 'Our rules: cameras on, a grown-up nearby, be kind. Worried? Tell Mrs Ajose.';
    const school = new DeployedSchool({ settings: { codeOfConduct: rules } });
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 55));
    teacherJoinsAndShares(school, s);
    const [post] = school.ws.classroom.announcementsVisibleTo(
      s.course.pupils[0]!.email,
      s.course.id,
    );
    expect(post!.text).toContain(rules);
    expect(post!.text).not.toContain(DEFAULT_CODE_OF_CONDUCT);
  });

  it('makes pupils join as viewers only when the school sets pupilsJoinAsViewers', () => {
    const viewers = new DeployedSchool({ settings: { pupilsJoinAsViewers: 'yes' } });
    const s = scheduleFor(viewers);
    viewers.advanceTo(monday(9, 51));
    const config = viewers.ws.meet.spaceInfo(roomLink(viewers, s)).config as {
      moderationRestrictions: { defaultJoinAsViewerType: string };
    };
    expect(config.moderationRestrictions.defaultJoinAsViewerType).toBe('ON');

    const byDefault = new DeployedSchool();
    const d = scheduleFor(byDefault);
    byDefault.advanceTo(monday(9, 51));
    const plain = byDefault.ws.meet.spaceInfo(roomLink(byDefault, d)).config as {
      moderationRestrictions: { defaultJoinAsViewerType: string };
    };
    expect(plain.moderationRestrictions.defaultJoinAsViewerType).toBe('OFF');
  });
});
