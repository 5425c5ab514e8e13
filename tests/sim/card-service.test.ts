// Fidelity of the simulated CardService: builders become the documented card tree,
// and build() refuses what Apps Script refuses.

import { SimKernel } from './kernel/kernel';
import { SimCardService } from './services/card-service';
import type { ActionResponseNode, CardNode } from './services/card-tree';

const CardService = new SimCardService().global();

function action(name = 'onStart') {
  return CardService.newAction().setFunctionName(name);
}

function button(text = 'Go') {
  return CardService.newTextButton().setText(text).setOnClickAction(action());
}

function oneWidgetCard(widget: GoogleAppsScript.Card_Service.Widget) {
  return CardService.newCardBuilder().addSection(CardService.newCardSection().addWidget(widget));
}

describe('CardService builders → card tree', () => {
  it('builds the documented structure, keeping every string as given', () => {
    const card = CardService.newCardBuilder()
      .setName('lesson')
      .setHeader(
        CardService.newCardHeader()
          .setTitle('Year 9 <Maths>')
          .setSubtitle('Mon 09:00')
          .setImageUrl('https://example.com/logo.png')
          .setImageStyle(CardService.ImageStyle.CIRCLE),
      )
      .addSection(
        CardService.newCardSection()
          .setHeader('Pupils')
          .addWidget(CardService.newTextParagraph().setText('<b>Ann</b> & Co'))
          .addWidget(
            CardService.newDecoratedText()
              .setTopLabel('Status')
              .setText('Recording on')
              .setBottomLabel('since 09:01')
              .setWrapText(true)
              .setButton(button('Stop')),
          )
          .addWidget(CardService.newDivider()),
      )
      .addSection(
        CardService.newCardSection()
          .setCollapsible(true)
          .setNumUncollapsibleWidgets(1)
          .addWidget(
            CardService.newTextInput().setFieldName('topic').setTitle('Topic').setValue('Algebra'),
          )
          .addWidget(
            CardService.newSelectionInput()
              .setType(CardService.SelectionInputType.RADIO_BUTTON)
              .setFieldName('mode')
              .setTitle('Mode')
              .addItem('Live', 'live', true)
              .addItem('Recorded', 2, false),
          )
          .addWidget(
            CardService.newButtonSet().addButton(
              CardService.newTextButton()
                .setText('Start')
                .setTextButtonStyle(CardService.TextButtonStyle.FILLED)
                .setOnClickAction(
                  action('startLesson')
                    .setParameters({ courseId: '42' })
                    .setLoadIndicator(CardService.LoadIndicator.NONE),
                ),
            ),
          ),
      )
      .setFixedFooter(
        CardService.newFixedFooter().setPrimaryButton(
          CardService.newTextButton()
            .setText('Help')
            .setOpenLink(
              CardService.newOpenLink()
                .setUrl('https://example.com/help')
                .setOpenAs(CardService.OpenAs.OVERLAY)
                .setOnClose(CardService.OnClose.RELOAD),
            ),
        ),
      )
      .build() as unknown as CardNode;

    const stop = {
      kind: 'textButton',
      text: 'Stop',
      disabled: false,
      onClick: {
        action: {
          functionName: 'onStart',
          parameters: {},
          loadIndicator: 'SPINNER',
          persistValues: false,
        },
      },
    };
    expect(card).toEqual({
      kind: 'card',
      name: 'lesson',
      header: {
        title: 'Year 9 <Maths>',
        subtitle: 'Mon 09:00',
        imageUrl: 'https://example.com/logo.png',
        imageStyle: 'CIRCLE',
      },
      sections: [
        {
          header: 'Pupils',
          collapsible: false,
          widgets: [
            { kind: 'textParagraph', text: '<b>Ann</b> & Co' },
            {
              kind: 'decoratedText',
              topLabel: 'Status',
              text: 'Recording on',
              bottomLabel: 'since 09:01',
              wrapText: true,
              button: stop,
            },
            { kind: 'divider' },
          ],
        },
        {
          collapsible: true,
          numUncollapsibleWidgets: 1,
          widgets: [
            {
              kind: 'textInput',
              fieldName: 'topic',
              title: 'Topic',
              value: 'Algebra',
              multiline: false,
            },
            {
              kind: 'selectionInput',
              type: 'RADIO_BUTTON',
              fieldName: 'mode',
              title: 'Mode',
              // doc: addItem converts non-string values to strings
              items: [
                { text: 'Live', value: 'live', selected: true },
                { text: 'Recorded', value: '2', selected: false },
              ],
            },
            {
              kind: 'buttonSet',
              buttons: [
                {
                  kind: 'textButton',
                  text: 'Start',
                  style: 'FILLED',
                  disabled: false,
                  onClick: {
                    action: {
                      functionName: 'startLesson',
                      parameters: { courseId: '42' },
                      loadIndicator: 'NONE',
                      persistValues: false,
                    },
                  },
                },
              ],
            },
          ],
        },
      ],
      fixedFooter: {
        primaryButton: {
          kind: 'textButton',
          text: 'Help',
          disabled: false,
          onClick: {
            openLink: { url: 'https://example.com/help', openAs: 'OVERLAY', onClose: 'RELOAD' },
          },
        },
      },
      cardActions: [],
    });
    expect(JSON.parse((card as unknown as { printJson(): string }).printJson())).toEqual(card);
  });

  it('returns a deeply frozen tree that later builder changes do not reach', () => {
    const paragraph = CardService.newTextParagraph().setText('before');
    const builder = oneWidgetCard(paragraph);
    const card = builder.build() as unknown as CardNode;
    paragraph.setText('after');
    expect(card.sections[0]!.widgets[0]).toEqual({ kind: 'textParagraph', text: 'before' });
    expect(Object.isFrozen(card.sections[0]!.widgets[0])).toBe(true);
    expect(() => {
      (card.sections as unknown as unknown[]).push({});
    }).toThrow(TypeError);
    // A builder change before build() is seen, as builders hold references until build.
    expect((builder.build() as unknown as CardNode).sections[0]!.widgets[0]).toEqual({
      kind: 'textParagraph',
      text: 'after',
    });
  });

  it('prints enum values as their names and rejects foreign enum values', () => {
    expect(String(CardService.TextButtonStyle.FILLED)).toBe('FILLED');
    expect(String(CardService.SelectionInputType.CHECK_BOX)).toBe('CHECK_BOX');
    expect(() =>
      CardService.newTextButton().setTextButtonStyle(
        'PINK' as unknown as GoogleAppsScript.Card_Service.TextButtonStyle,
      ),
    ).toThrow('Invalid argument: textButtonStyle');
  });

  it('builds an ActionResponse with notification, navigation and state change', () => {
    const next = oneWidgetCard(CardService.newTextParagraph().setText('Next')).build();
    const response = CardService.newActionResponseBuilder()
      .setNotification(CardService.newNotification().setText('Lesson started'))
      .setNavigation(CardService.newNavigation().popToRoot().pushCard(next))
      .setStateChanged(true)
      .build() as unknown as ActionResponseNode;
    expect(response).toEqual({
      kind: 'actionResponse',
      notification: { text: 'Lesson started' },
      navigation: {
        kind: 'navigation',
        steps: [{ op: 'popToRoot' }, { op: 'pushCard', card: next }],
      },
      stateChanged: true,
    });
  });
});

describe('CardService validation (as Apps Script does at build())', () => {
  function expectException(fn: () => unknown, message: RegExp) {
    let thrown: unknown;
    try {
      fn();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).name).toBe('Exception');
    expect((thrown as Error).message).toMatch(message);
  }

  it('a card needs at least one section', () => {
    expectException(
      () =>
        CardService.newCardBuilder().setHeader(CardService.newCardHeader().setTitle('T')).build(),
      /at least one section/,
    );
  });

  it('a section needs at least one widget', () => {
    expectException(
      () =>
        CardService.newCardBuilder()
          .addSection(CardService.newCardSection().setHeader('Empty'))
          .build(),
      /section "Empty" must contain at least one widget/,
    );
  });

  it('a header needs a title', () => {
    expectException(
      () =>
        oneWidgetCard(CardService.newDivider())
          .setHeader(CardService.newCardHeader().setSubtitle('no title'))
          .build(),
      /CardHeader is missing its title/,
    );
  });

  it.each([
    ['TextInput', () => CardService.newTextInput().setTitle('Topic')],
    ['SelectionInput', () => CardService.newSelectionInput().addItem('a', 'a', false)],
    ['DatePicker', () => CardService.newDatePicker().setTitle('Day')],
    ['DateTimePicker', () => CardService.newDateTimePicker().setTitle('When')],
    ['TimePicker', () => CardService.newTimePicker().setTitle('At')],
  ])('a %s needs a field name', (name, make) => {
    expectException(
      () => oneWidgetCard(make()).build(),
      new RegExp(`${name} is missing a field name`),
    );
  });

  it('a TextInput needs a title (documented as required)', () => {
    expectException(
      () => oneWidgetCard(CardService.newTextInput().setFieldName('topic')).build(),
      /TextInput "topic" is missing its title/,
    );
  });

  it('field names must be unique across the card', () => {
    const section = CardService.newCardSection()
      .addWidget(CardService.newTextInput().setFieldName('x').setTitle('A'))
      .addWidget(CardService.newDatePicker().setFieldName('x'));
    expectException(
      () => CardService.newCardBuilder().addSection(section).build(),
      /Field name "x" is used by more than one input/,
    );
  });

  it('an Action needs a function name', () => {
    expectException(
      () =>
        oneWidgetCard(
          CardService.newTextButton().setText('Go').setOnClickAction(CardService.newAction()),
        ).build(),
      /Action is missing a function name/,
    );
  });

  it.each([
    ['a number', { lessonId: 42 }, /"lessonId" is number/],
    ['a boolean', { ok: true }, /"ok" is boolean/],
    ['null', { gone: null }, /"gone" is null/],
    ['an object', { nested: { a: '1' } }, /"nested" is object/],
  ])(
    'setParameters rejects %s value (keys and values must be strings)',
    (_what, params, message) => {
      expectException(
        () =>
          CardService.newAction()
            .setFunctionName('f')
            .setParameters(params as unknown as Record<string, string>),
        message,
      );
    },
  );

  it('setParameters accepts strings, including empty ones', () => {
    const card = oneWidgetCard(
      CardService.newTextButton()
        .setText('Go')
        .setOnClickAction(
          CardService.newAction().setFunctionName('f').setParameters({ a: '1', b: '' }),
        ),
    ).build() as unknown as CardNode;
    const go = card.sections[0]!.widgets[0] as { onClick: { action: { parameters: unknown } } };
    expect(go.onClick.action.parameters).toEqual({ a: '1', b: '' });
  });

  it('a TextButton needs text and exactly one click', () => {
    expectException(
      () => oneWidgetCard(CardService.newTextButton().setOnClickAction(action())).build(),
      /TextButton is missing its text/,
    );
    expectException(
      () => oneWidgetCard(CardService.newTextButton().setText('Go')).build(),
      /TextButton "Go" needs an action/,
    );
    expectException(
      () =>
        oneWidgetCard(
          CardService.newTextButton()
            .setText('Go')
            .setOnClickAction(action())
            .setOpenLink(CardService.newOpenLink().setUrl('https://example.com')),
        ).build(),
      /can only have one of setOpenLink, setOnClickAction or setOnClickOpenLinkAction/,
    );
  });

  it('an OpenLink needs a URL', () => {
    expectException(
      () =>
        oneWidgetCard(
          CardService.newTextButton().setText('Go').setOpenLink(CardService.newOpenLink()),
        ).build(),
      /OpenLink is missing a URL/,
    );
  });

  it('a notification needs text', () => {
    expectException(
      () =>
        CardService.newActionResponseBuilder()
          .setNotification(CardService.newNotification())
          .build(),
      /Notification is missing its text/,
    );
    expectException(
      () =>
        CardService.newActionResponseBuilder()
          .setNotification(CardService.newNotification().setText(''))
          .build(),
      /Notification is missing its text/,
    );
  });

  it('limits a section to 100 widgets and a card to 100 sections (documented limits)', () => {
    const section = CardService.newCardSection();
    for (let i = 0; i < 100; i++) section.addWidget(CardService.newDivider());
    expectException(() => section.addWidget(CardService.newDivider()), /more than 100 widgets/);
    const builder = CardService.newCardBuilder();
    for (let i = 0; i < 100; i++)
      builder.addSection(CardService.newCardSection().addWidget(CardService.newDivider()));
    expectException(
      () => builder.addSection(CardService.newCardSection()),
      /more than 100 sections/,
    );
  });

  it('rejects objects that are not widgets, and cards that were not built', () => {
    expectException(
      () =>
        CardService.newCardSection().addWidget(
          CardService.newAction() as unknown as GoogleAppsScript.Card_Service.Widget,
        ),
      /Invalid argument: widget/,
    );
    expectException(
      () =>
        CardService.newNavigation().pushCard(
          CardService.newCardBuilder() as unknown as GoogleAppsScript.Card_Service.Card,
        ),
      /Invalid argument: card/,
    );
  });
});

describe('CardService on the kernel', () => {
  it('counts each build() as a card.* call and fails once the card execution ran out of time', () => {
    const kernel = new SimKernel({ start: Date.UTC(2025, 0, 6, 9), domain: 'school.test' });
    const service = new SimCardService(kernel).global();
    const build = () =>
      service
        .newCardBuilder()
        .addSection(service.newCardSection().addWidget(service.newTextParagraph().setText('Hi')))
        .build();
    const ok = kernel.runExecution(
      { user: 'teacher@school.test', kind: 'card', functionName: 'onHomepage' },
      build,
    );
    expect(ok.ok).toBe(true);
    expect(kernel.calls.count('card.CardBuilder.build')).toBe(1);

    const late = kernel.runExecution(
      { user: 'teacher@school.test', kind: 'card', functionName: 'slow' },
      () => {
        kernel.clock.advance(31_000);
        return build();
      },
    );
    expect(late.ok).toBe(false);
    expect((late.error as Error).message).toBe('Exceeded maximum execution time');
  });
});
