// A person using the sidebar with its card stack as the host keeps it: the homepage at the
// root, each click's navigation applied (push, pop, popToRoot, update), and the Back arrow.
// `staleCards()` draws every card on the stack again from what the store holds now and names
// those that no longer show the same thing: what a Back arrow must never lead to.

import {
  type CalendarContext,
  CardStack,
  cardsOf,
  click,
  clickText,
  type FormValue,
  findAll,
  notificationOf,
  texts,
  toggle,
} from '../sim/card-driver';
import type { CardNode } from '../sim/services/card-tree';
import type { DeployedSchool } from './deployed-school';

export class SidebarSession {
  readonly stack: CardStack;
  /** The notification the last action showed ('' when none). */
  note = '';

  /**
   * Opens the sidebar: the homepage, or with `calendar` the open Calendar event's card (the
   * root of the contextual stack; every action is then sent with the event, as Google does).
   */
  constructor(
    private readonly school: DeployedSchool,
    readonly user: string,
    private readonly calendar?: CalendarContext,
  ) {
    this.stack = new CardStack(
      calendar
        ? school.run('onCalendarEventOpen', { calendar }, user)
        : school.run('onHomepage', {}, user),
    );
  }

  get top(): CardNode {
    return this.stack.top;
  }

  /** Clicks a button on the card on top; the response's navigation is applied to the stack. */
  click(text: string, formInputs: Record<string, FormValue> = {}): this {
    const response = click(this.top, text, (name, event) => this.run(name, event), {
      user: this.user,
      formInputs,
      now: this.school.ws.now(),
      calendar: this.calendar,
    });
    this.after(response);
    return this;
  }

  /** Opens a list line on the card on top (a lesson on the homepage) by its text. */
  open(text: string): this {
    this.after(
      clickText(this.top, text, (name, event) => this.run(name, event), {
        user: this.user,
        now: this.school.ws.now(),
        calendar: this.calendar,
      }),
    );
    return this;
  }

  /** Flips a switch on the card on top. */
  toggle(fieldName: string): this {
    this.after(
      toggle(this.top, fieldName, (name, event) => this.run(name, event), {
        user: this.user,
        now: this.school.ws.now(),
        calendar: this.calendar,
      }),
    );
    return this;
  }

  back(): CardNode {
    return this.stack.back();
  }

  /** Names of the cards on the stack that a fresh render would show differently. */
  staleCards(): string[] {
    return this.stack.cards
      .filter((card) => {
        const fresh = this.freshOf(card);
        return fresh !== undefined && !sameCard(card, fresh);
      })
      .map((card) => card.name ?? card.header?.title ?? '(unnamed)');
  }

  /** The card as it would be drawn now; undefined for forms (they hold what the user typed). */
  private freshOf(card: CardNode): CardNode | null | undefined {
    const name = card.name ?? '';
    if (name === 'home') return cardsOf(this.school.run('onHomepage', {}, this.user))[0]!;
    if (this.calendar && card === this.stack.cards[0])
      return cardsOf(
        this.school.run('onCalendarEventOpen', { calendar: this.calendar }, this.user),
      )[0]!;
    const [kind, lessonId] = name.split(':');
    if (!lessonId || !['lesson', 'review', 'end'].includes(kind!)) return undefined;
    const shown = cardsOf(
      this.school.run('showLesson', { commonEventObject: { parameters: { lessonId } } }, this.user),
    ).at(-1);
    if (kind === 'end') {
      // A confirmation is stale once the lesson's own card no longer offers to end it.
      const offers =
        shown !== undefined &&
        findAll(shown, (n) => n.kind === 'textButton' && n.text === 'End lesson for everyone')
          .length > 0;
      return offers ? card : null;
    }
    return shown ?? null;
  }

  private run(name: string, event: unknown): unknown {
    return this.school.run(name, event, this.user);
  }

  private after(response: unknown): void {
    this.note = notificationOf(response) ?? '';
    this.stack.apply(response);
  }
}

function sameCard(a: CardNode, b: CardNode | null): boolean {
  if (!b || a.name !== b.name) return false;
  return JSON.stringify(texts(a)) === JSON.stringify(texts(b)) && switches(a) === switches(b);
}

function switches(card: CardNode): string {
  return JSON.stringify(
    findAll(card, (n) => n.kind === 'switch').map((n) => (n as { selected: boolean }).selected),
  );
}
