// The driver's card stack follows Google's navigation contract (push, pop, popToRoot,
// popToNamedCard, updateCard run in order; Back pops), and a switch is flipped as the
// client does it: its value in the form inputs only while it is on.

import { CardStack, notificationOf, toggle } from './card-driver';
import { SimCardService } from './services/card-service';

const CardService = new SimCardService().global();

function card(name: string) {
  return CardService.newCardBuilder()
    .setName(name)
    .setHeader(CardService.newCardHeader().setTitle(name))
    .addSection(
      CardService.newCardSection().addWidget(CardService.newTextParagraph().setText(name)),
    )
    .build();
}

function respond(nav: GoogleAppsScript.Card_Service.Navigation) {
  return CardService.newActionResponseBuilder().setNavigation(nav).build();
}

const names = (stack: CardStack) => stack.cards.map((c) => c.name);

describe('CardStack', () => {
  it('pushes, updates in place, and goes Back to the card underneath', () => {
    const stack = new CardStack(card('home'));
    expect(stack.canGoBack).toBe(false);
    stack.apply(respond(CardService.newNavigation().pushCard(card('lesson'))));
    stack.apply(respond(CardService.newNavigation().updateCard(card('lesson-2'))));
    expect(names(stack)).toEqual(['home', 'lesson-2']);
    expect(stack.back().name).toBe('home');
    expect(() => stack.back()).toThrow('No Back arrow on the root card');
  });

  it('runs chained steps in order: popToRoot, updateCard of the root, then pushCard', () => {
    const stack = new CardStack(card('home'));
    stack.apply(
      respond(CardService.newNavigation().pushCard(card('lesson')).pushCard(card('end'))),
    );
    stack.apply(
      respond(
        CardService.newNavigation()
          .popToRoot()
          .updateCard(card('home-2'))
          .pushCard(card('lesson-2')),
      ),
    );
    expect(names(stack)).toEqual(['home-2', 'lesson-2']);
  });

  it('pops to a named card, and keeps the root when asked to pop it', () => {
    const stack = new CardStack(card('home'));
    stack.apply(
      respond(
        CardService.newNavigation().pushCard(card('a')).pushCard(card('b')).pushCard(card('c')),
      ),
    );
    stack.apply(respond(CardService.newNavigation().popToNamedCard('a')));
    expect(names(stack)).toEqual(['home', 'a']);
    stack.apply(respond(CardService.newNavigation().popCard().popCard()));
    expect(names(stack)).toEqual(['home']);
  });

  it('leaves the stack alone for a response with only a notification', () => {
    const stack = new CardStack(card('home'));
    stack.apply(
      CardService.newActionResponseBuilder()
        .setNotification(CardService.newNotification().setText('Saved'))
        .build(),
    );
    expect(names(stack)).toEqual(['home']);
  });
});

describe('toggle', () => {
  function switchCard(selected: boolean) {
    return CardService.newCardBuilder()
      .setHeader(CardService.newCardHeader().setTitle('Lesson'))
      .addSection(
        CardService.newCardSection().addWidget(
          CardService.newDecoratedText()
            .setText('Chat for pupils')
            .setSwitchControl(
              CardService.newSwitch()
                .setFieldName('pupilChat')
                .setValue('on')
                .setSelected(selected)
                .setOnChangeAction(
                  CardService.newAction()
                    .setFunctionName('lessonAction')
                    .setParameters({ action: 'chat' }),
                ),
            ),
        ),
      )
      .build();
  }

  it('sends the switch’s value when it is turned on, and nothing for it when turned off', () => {
    const seen: unknown[] = [];
    const run = (name: string, event: unknown) => {
      seen.push({ name, event });
      return CardService.newActionResponseBuilder()
        .setNotification(CardService.newNotification().setText(name))
        .build();
    };
    expect(notificationOf(toggle(switchCard(false), 'pupilChat', run))).toBe('lessonAction');
    expect(notificationOf(toggle(switchCard(true), 'pupilChat', run))).toBe('lessonAction');
    const [on, off] = seen as {
      event: {
        commonEventObject: {
          parameters: Record<string, string>;
          formInputs: Record<string, unknown>;
        };
      };
    }[];
    expect(on!.event.commonEventObject.parameters).toEqual({ action: 'chat' });
    expect(on!.event.commonEventObject.formInputs).toEqual({
      pupilChat: { stringInputs: { value: ['on'] } },
    });
    expect(off!.event.commonEventObject.formInputs).toEqual({});
  });

  it('refuses a field that is not a switch', () => {
    expect(() => toggle(switchCard(false), 'nothing', () => undefined)).toThrow(
      'No switch "nothing" on the card',
    );
  });
});
