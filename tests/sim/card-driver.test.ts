// The card driver clicks like a teacher and builds the event object Google documents;
// the markup checks and the HTML renderer catch data that reached a card unescaped.

import {
  actionOf,
  cardsOf,
  click,
  eventObject,
  findButton,
  findUnescapedHtml,
  inputs,
  notificationOf,
  type RunFunction,
  texts,
  unsafeMarkup,
} from './card-driver';
import { renderCardHtml } from './card-html';
import { SimCardService } from './services/card-service';

const CardService = new SimCardService().global();

const JUNE_2025 = Date.UTC(2025, 5, 2, 8, 30); // London is on BST (UTC+1)

function lessonCard() {
  const start = CardService.newAction()
    .setFunctionName('startLesson')
    .setParameters({ courseId: 'c-42', eventId: 'ev1' });
  return CardService.newCardBuilder()
    .setHeader(CardService.newCardHeader().setTitle('Year 9 Maths').setSubtitle('Room 4'))
    .addSection(
      CardService.newCardSection()
        .setHeader('Lesson')
        .addWidget(CardService.newTextParagraph().setText('Ready to <b>start</b> &amp; record?'))
        .addWidget(
          CardService.newTextInput().setFieldName('topic').setTitle('Topic').setValue('Algebra'),
        )
        .addWidget(
          CardService.newSelectionInput()
            .setType(CardService.SelectionInputType.CHECK_BOX)
            .setFieldName('groups')
            .setTitle('Groups')
            .addItem('Set 1', 'set1', true)
            .addItem('Set 2', 'set2', false),
        )
        .addWidget(
          CardService.newDatePicker()
            .setFieldName('day')
            .setTitle('Day')
            .setValueInMsSinceEpoch(JUNE_2025),
        )
        .addWidget(CardService.newDateTimePicker().setFieldName('startsAt').setTitle('Starts'))
        .addWidget(
          CardService.newTimePicker()
            .setFieldName('endAt')
            .setTitle('Ends')
            .setHours(10)
            .setMinutes(15),
        )
        .addWidget(
          CardService.newDecoratedText()
            .setText('Record')
            .setSwitchControl(
              CardService.newSwitch().setFieldName('record').setValue('yes').setSelected(true),
            ),
        )
        .addWidget(
          CardService.newButtonSet()
            .addButton(
              CardService.newTextButton()
                .setText('Start lesson')
                .setTextButtonStyle(CardService.TextButtonStyle.FILLED)
                .setOnClickAction(start),
            )
            .addButton(
              CardService.newTextButton()
                .setText('Help')
                .setOpenLink(CardService.newOpenLink().setUrl('https://example.com/help')),
            )
            .addButton(
              CardService.newTextButton()
                .setText('Cancel')
                .setDisabled(true)
                .setOnClickAction(CardService.newAction().setFunctionName('cancel')),
            ),
        ),
    )
    .build();
}

describe('findButton', () => {
  it('finds a button by its exact, then case-insensitive, visible text', () => {
    const card = lessonCard();
    expect(findButton(card, 'Start lesson').kind).toBe('textButton');
    expect(actionOf(findButton(card, 'start LESSON'))).toEqual({
      functionName: 'startLesson',
      parameters: { courseId: 'c-42', eventId: 'ev1' },
    });
  });

  it('says which buttons are there when the one asked for is not', () => {
    expect(() => findButton(lessonCard(), 'End lesson')).toThrow(
      'No button "End lesson" on card "Year 9 Maths". Buttons present: "Start lesson", "Help", "Cancel".',
    );
  });
});

describe('click', () => {
  it('runs the action function with the documented event object and returns its result', () => {
    const calls: { name: string; event: unknown; user?: string }[] = [];
    const run: RunFunction = (name, event, context) => {
      calls.push({ name, event, user: context.user });
      return 'done';
    };
    const result = click(lessonCard(), 'Start lesson', run, {
      user: 'teacher@school.test',
      formInputs: {
        groups: ['set1', 'set2'],
        startsAt: { msSinceEpoch: JUNE_2025 + 3_600_000 },
        record: false,
      },
      calendar: { id: 'ev1', calendarId: 'teacher@school.test', organizer: 'teacher@school.test' },
    });

    expect(result).toBe('done');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.name).toBe('startLesson');
    expect(calls[0]!.user).toBe('teacher@school.test');
    expect(calls[0]!.event).toEqual({
      commonEventObject: {
        hostApp: 'CALENDAR',
        platform: 'WEB',
        formInputs: {
          topic: { stringInputs: { value: ['Algebra'] } },
          groups: { stringInputs: { value: ['set1', 'set2'] } },
          day: { dateInput: { msSinceEpoch: String(JUNE_2025) } },
          startsAt: {
            dateTimeInput: {
              msSinceEpoch: String(JUNE_2025 + 3_600_000),
              hasDate: true,
              hasTime: true,
            },
          },
          endAt: { timeInput: { hours: 10, minutes: 15 } },
        },
        parameters: { courseId: 'c-42', eventId: 'ev1' },
      },
      calendar: {
        id: 'ev1',
        calendarId: 'teacher@school.test',
        organizer: { email: 'teacher@school.test' },
        capabilities: {
          canAddAttendees: true,
          canSeeAttendees: true,
          canSeeConferenceData: true,
          canSetConferenceData: true,
          canAddAttachments: true,
        },
      },
      clientPlatform: 'web',
      formInputs: { topic: ['Algebra'], groups: ['set1', 'set2'] },
      formInput: { topic: 'Algebra', groups: 'set1' },
      parameters: { courseId: 'c-42', eventId: 'ev1' },
    });
  });

  it('sends the switch value while it is on, and leaves cleared fields out', () => {
    let event: { commonEventObject: { formInputs: Record<string, unknown> } } | undefined;
    click(
      lessonCard(),
      'Start lesson',
      (_n, e) => {
        event = e as typeof event;
      },
      { formInputs: { topic: null } },
    );
    expect(event!.commonEventObject.formInputs.record).toEqual({
      stringInputs: { value: ['yes'] },
    });
    expect(event!.commonEventObject.formInputs).not.toHaveProperty('topic');
  });

  it('refuses what a teacher could not do', () => {
    const run: RunFunction = () => undefined;
    expect(() => click(lessonCard(), 'Cancel', run)).toThrow('Button "Cancel" is disabled');
    expect(() => click(lessonCard(), 'Help', run)).toThrow(
      'opens the link https://example.com/help',
    );
    expect(() => click(lessonCard(), 'Start lesson', run, { formInputs: { topik: 'x' } })).toThrow(
      'No input "topik" on the card; inputs: topic, groups, day, startsAt, endAt, record',
    );
    expect(() =>
      click(lessonCard(), 'Start lesson', run, { formInputs: { groups: ['set9'] } }),
    ).toThrow('Selection "groups" has no item "set9"');
  });
});

describe('eventObject', () => {
  it('sends locale and time zone only when the manifest sets useLocaleFromApp', () => {
    const without = eventObject({ timeZone: 'Europe/London', locale: 'en-GB', now: JUNE_2025 });
    expect(without.commonEventObject).toEqual({ hostApp: 'CALENDAR', platform: 'WEB' });

    const withLocale = eventObject({
      useLocaleFromApp: true,
      timeZone: 'Europe/London',
      locale: 'en-GB',
      now: JUNE_2025,
      hostApp: 'GMAIL',
    });
    expect(withLocale.commonEventObject).toEqual({
      hostApp: 'GMAIL',
      platform: 'WEB',
      userLocale: 'en-GB',
      timeZone: { id: 'Europe/London', offset: 3_600_000 },
    });
    expect(withLocale.userTimezone).toEqual({ id: 'Europe/London', offSet: '3600000' });
  });

  it('encodes form inputs by their shape when no card is given', () => {
    const e = eventObject({
      formInputs: {
        name: 'Ann',
        picks: ['a', 'b'],
        day: { msSinceEpoch: 1000 },
        at: { msSinceEpoch: 2000, hasTime: true, hasDate: false },
        time: { hours: 9, minutes: 5 },
      },
    });
    expect(e.commonEventObject.formInputs).toEqual({
      name: { stringInputs: { value: ['Ann'] } },
      picks: { stringInputs: { value: ['a', 'b'] } },
      day: { dateInput: { msSinceEpoch: '1000' } },
      at: { dateTimeInput: { msSinceEpoch: '2000', hasDate: false, hasTime: true } },
      time: { timeInput: { hours: 9, minutes: 5 } },
    });
  });

  it('gives a guest read-only capabilities on the open event', () => {
    const e = eventObject({
      user: 'pupil@school.test',
      calendar: { id: 'ev1', calendarId: 'pupil@school.test', organizer: 'teacher@school.test' },
    });
    expect(e.calendar?.capabilities).toMatchObject({
      canAddAttendees: false,
      canSetConferenceData: false,
    });
  });
});

describe('reading cards and responses', () => {
  it('lists visible text in order, tags stripped and entities decoded', () => {
    expect(texts(lessonCard())).toEqual([
      'Year 9 Maths',
      'Room 4',
      'Lesson',
      'Ready to start & record?',
      'Topic',
      'Algebra',
      'Groups',
      'Set 1',
      'Set 2',
      'Day',
      'Starts',
      'Ends',
      'Record',
      'Start lesson',
      'Help',
      'Cancel',
    ]);
  });

  it('maps inputs by field name and reads navigation and notifications', () => {
    expect(Object.keys(inputs(lessonCard()))).toEqual([
      'topic',
      'groups',
      'day',
      'startsAt',
      'endAt',
      'record',
    ]);
    const next = lessonCard();
    const response = CardService.newActionResponseBuilder()
      .setNotification(CardService.newNotification().setText('Started'))
      .setNavigation(CardService.newNavigation().updateCard(next))
      .build();
    expect(notificationOf(response)).toBe('Started');
    expect(cardsOf(response)).toEqual([next]);
  });
});

describe('unescaped HTML', () => {
  it('flags markup outside the card subset in text widgets', () => {
    expect(
      unsafeMarkup(
        '<b>Ann</b> <font color="#ff0000">late</font> <a href="https://x.test">x</a><br>',
      ),
    ).toEqual([]);
    expect(unsafeMarkup('&lt;script&gt;alert(1)&lt;/script&gt;')).toEqual([]);
    expect(unsafeMarkup('a < b and <3')).toEqual([]);
    expect(unsafeMarkup('<script>alert(1)</script>')).toEqual([
      '<script> (<script> is not in the card HTML subset)',
      '</script> (<script> is not in the card HTML subset)',
    ]);
    expect(unsafeMarkup('<a href="javascript:alert(1)">x</a>')[0]).toMatch(
      /unsafe or unsupported attribute/,
    );
    expect(unsafeMarkup('<b onclick="x()">x</b>')[0]).toMatch(/<b onclick/);
    expect(unsafeMarkup('<b>x</b>', 'plain')[0]).toBe('<b> (markup in a plain-text field)');
  });

  it('finds where on the card the unescaped data is', () => {
    const pupil = '<img src=x onerror=alert(1)>Bob';
    const card = CardService.newCardBuilder()
      .setHeader(CardService.newCardHeader().setTitle(`Lesson with ${pupil}`))
      .addSection(
        CardService.newCardSection()
          .addWidget(CardService.newTextParagraph().setText('<b>Pupils</b>'))
          .addWidget(CardService.newDecoratedText().setText(pupil)),
      )
      .build();
    expect(findUnescapedHtml(card).map((f) => f.where)).toEqual([
      'card 1 › header.title',
      'card 1 › section 1 › decoratedText.text',
    ]);
  });
});

describe('renderCardHtml', () => {
  it('renders a sidebar page that escapes script and keeps the documented subset', () => {
    const card = CardService.newCardBuilder()
      .setHeader(CardService.newCardHeader().setTitle('<img src=x onerror=alert(1)>'))
      .addSection(
        CardService.newCardSection()
          .addWidget(
            CardService.newTextParagraph().setText(
              '<script>alert(1)</script><b>bold</b> &amp; more',
            ),
          )
          .addWidget(
            CardService.newTextButton()
              .setText('<script>x</script>')
              .setOnClickAction(CardService.newAction().setFunctionName('f')),
          ),
      )
      .build();
    const html = renderCardHtml(card, { title: 'Safe Live Lessons', notification: '<i>saved</i>' });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;<b>bold</b> &amp; more');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;i&gt;saved&lt;/i&gt;');
    expect(html).toContain('width:320px');
  });

  it('shows a response’s cards side by side with its notification', () => {
    const response = CardService.newActionResponseBuilder()
      .setNotification(CardService.newNotification().setText('Lesson started'))
      .setNavigation(CardService.newNavigation().pushCard(lessonCard()))
      .build();
    const html = renderCardHtml(response);
    expect(html).toContain('class="toast" role="status">Lesson started<');
    expect(html).toContain('<button class="btn filled">Start lesson</button>');
    expect(html).toContain('<button class="btn text" disabled>Cancel</button>');
  });
});
