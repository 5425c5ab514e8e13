// Drives the add-on's cards as a teacher would in tests: find what is on a card, build
// the event object Google sends when a button is clicked, and run the button's function.
// doc: https://developers.google.com/workspace/add-ons/concepts/event-objects

import {
  type EventOptions,
  eventObject,
  type FormValue,
  isDateValue,
  isTimeValue,
} from './services/card-event-object';
import { type MarkupToken, tokenizeMarkup, visibleText } from './services/card-markup';

import {
  type ActionNode,
  type AnyNode,
  type ButtonNode,
  type CardNode,
  type DecoratedTextNode,
  type InputNode,
  isCardNode,
  type NavigationStep,
  type OpenLinkNode,
  type SectionNode,
  type WidgetNode,
} from './services/card-tree';

/** The event-object builder is part of the driver's API. */
export * from './services/card-event-object';

// ---------------------------------------------------------------- walking cards

/** The cards in a card, a card array, or what an ActionResponse / UniversalActionResponse shows. */
export function cardsOf(value: unknown): CardNode[] {
  if (isCardNode(value)) return [value];
  if (Array.isArray(value)) return value.flatMap((v) => cardsOf(v));
  const node = value as { kind?: string } | null | undefined;
  if (node?.kind === 'actionResponse') {
    const steps = (value as { navigation?: { steps: { op: string; card?: CardNode }[] } })
      .navigation?.steps;
    return (steps ?? []).flatMap((s) => (s.card ? [s.card] : []));
  }
  if (node?.kind === 'universalActionResponse') {
    return [...((value as { cards?: CardNode[] }).cards ?? [])];
  }
  throw new Error(
    `Expected a built Card, Card[] or ActionResponse from the simulated CardService, got ${describe(value)}`,
  );
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value !== 'object') return `${typeof value} ${JSON.stringify(value)}`;
  const kind = (value as { kind?: unknown }).kind;
  return kind ? `a ${String(kind)}` : `an object with keys ${Object.keys(value).join(', ')}`;
}

/** One card: the card itself, or the single card a response shows. */
export function cardOf(value: unknown): CardNode {
  const cards = cardsOf(value);
  if (cards.length !== 1) throw new Error(`Expected exactly one card, found ${cards.length}`);
  return cards[0]!;
}

/** Every widget, nested button and switch of a section, in reading order. */
function sectionNodes(section: SectionNode): AnyNode[] {
  const out: AnyNode[] = [];
  for (const widget of section.widgets) {
    out.push(widget);
    if (widget.kind === 'buttonSet') out.push(...widget.buttons);
    if (widget.kind === 'decoratedText') {
      if (widget.button) out.push(widget.button);
      if (widget.switchControl) out.push(widget.switchControl);
    }
  }
  return out;
}

function cardNodes(card: CardNode): AnyNode[] {
  const out = card.sections.flatMap((s) => sectionNodes(s));
  if (card.fixedFooter) {
    out.push(card.fixedFooter.primaryButton);
    if (card.fixedFooter.secondaryButton) out.push(card.fixedFooter.secondaryButton);
  }
  return out;
}

export function findAll<T extends AnyNode>(
  root: unknown,
  predicate: (node: AnyNode) => node is T,
): T[];
export function findAll(root: unknown, predicate: (node: AnyNode) => boolean): AnyNode[];
export function findAll(root: unknown, predicate: (node: AnyNode) => boolean): AnyNode[] {
  return cardsOf(root).flatMap((card) => cardNodes(card).filter(predicate));
}

// ---------------------------------------------------------------- reading cards

function widgetTexts(node: AnyNode): string[] {
  switch (node.kind) {
    case 'textParagraph':
      return [node.text];
    case 'decoratedText':
      return [node.topLabel, node.text, node.bottomLabel].filter((t): t is string => !!t);
    case 'textButton':
      return [node.text || node.altText || ''];
    case 'textInput':
      return [node.title, node.value, node.hint].filter((t): t is string => !!t);
    case 'selectionInput':
      return [node.title, ...node.items.map((i) => i.text)].filter((t): t is string => !!t);
    case 'datePicker':
    case 'dateTimePicker':
    case 'timePicker':
      return node.title ? [node.title] : [];
    default:
      return [];
  }
}

/** All visible text of a card (or of the cards a response shows), in reading order, tags stripped. */
export function texts(root: unknown): string[] {
  const out: string[] = [];
  for (const card of cardsOf(root)) {
    if (card.header)
      out.push(card.header.title, ...(card.header.subtitle ? [card.header.subtitle] : []));
    for (const section of card.sections) {
      if (section.header) out.push(section.header);
      for (const node of sectionNodes(section)) out.push(...widgetTexts(node));
    }
    if (card.fixedFooter) {
      out.push(...widgetTexts(card.fixedFooter.primaryButton));
      if (card.fixedFooter.secondaryButton)
        out.push(...widgetTexts(card.fixedFooter.secondaryButton));
    }
  }
  return out.map((t) => visibleText(t)).filter((t) => t.length > 0);
}

function isButton(node: AnyNode): node is ButtonNode {
  return node.kind === 'textButton' || node.kind === 'imageButton';
}

function buttonLabel(button: ButtonNode): string {
  if (button.kind === 'textButton' && button.text) return visibleText(button.text).trim();
  return (button.altText ?? '').trim();
}

/** The button whose visible text (or alt text) is `text`: exact match first, then case-insensitive. */
export function findButton(root: unknown, text: string): ButtonNode {
  const buttons = findAll(root, isButton);
  const exact = buttons.find((b) => buttonLabel(b) === text);
  if (exact) return exact;
  const loose = buttons.find((b) => buttonLabel(b).toLowerCase() === text.trim().toLowerCase());
  if (loose) return loose;
  const present = buttons.map((b) => `"${buttonLabel(b)}"`).join(', ') || 'none';
  const titles = cardsOf(root)
    .map((c) => `"${c.header?.title ?? c.name ?? '(untitled)'}"`)
    .join(', ');
  throw new Error(`No button "${text}" on card ${titles}. Buttons present: ${present}.`);
}

/**
 * A clickable DecoratedText (a list line that opens something) whose visible text includes
 * `text`; in the sidebar the whole line is the target.
 */
export function findClickableText(root: unknown, text: string): DecoratedTextNode {
  const lines = findAll(
    root,
    (n): n is DecoratedTextNode => n.kind === 'decoratedText' && n.onClick?.action !== undefined,
  );
  const found = lines.find((l) => visibleText(l.text).includes(text));
  if (found) return found;
  const present = lines.map((l) => `"${visibleText(l.text)}"`).join(', ') || 'none';
  throw new Error(`No clickable line with "${text}". Clickable lines: ${present}.`);
}

/** The card's inputs by field name (switches in decorated text included). */
export function inputs(root: unknown): Record<string, InputNode> {
  const out: Record<string, InputNode> = {};
  for (const node of findAll(root, (n) => 'fieldName' in n))
    out[(node as InputNode).fieldName] = node as InputNode;
  return out;
}

/** The notification text an ActionResponse shows, if any. */
export function notificationOf(response: unknown): string | undefined {
  const node = response as { kind?: string; notification?: { text: string } } | undefined;
  if (node?.kind !== 'actionResponse') {
    throw new Error(`Expected an ActionResponse, got ${describe(response)}`);
  }
  return node.notification?.text;
}

/** The function a button (or other clickable) runs, with its parameters. */
export function actionOf(clickable: {
  onClick?: { action?: ActionNode; openDynamicLinkAction?: ActionNode; openLink?: OpenLinkNode };
}): {
  functionName: string;
  parameters: Record<string, string>;
} {
  const action = clickable.onClick?.action ?? clickable.onClick?.openDynamicLinkAction;
  if (!action) {
    const link = clickable.onClick?.openLink;
    throw new Error(
      link ? `This opens the link ${link.url}; it runs no function` : 'This element has no action',
    );
  }
  return { functionName: action.functionName, parameters: { ...action.parameters } };
}

// ---------------------------------------------------------------- clicking

/** Runs a function of the bundle by name (the lead's harness), as `context.user` when given. */
export type RunFunction = (name: string, event: unknown, context: { user?: string }) => unknown;

/** What the card's inputs hold before the teacher touches them. */
function currentValues(card: CardNode): Record<string, FormValue> {
  const values: Record<string, FormValue> = {};
  for (const [field, node] of Object.entries(inputs(card))) {
    switch (node.kind) {
      case 'textInput':
        if (node.value) values[field] = node.value;
        break;
      case 'selectionInput': {
        const selected = node.items.filter((i) => i.selected).map((i) => i.value);
        if (selected.length) values[field] = selected;
        break;
      }
      case 'datePicker':
        if (node.valueMsEpoch !== undefined) values[field] = { msSinceEpoch: node.valueMsEpoch };
        break;
      case 'dateTimePicker':
        if (node.valueMsEpoch !== undefined) {
          values[field] = { msSinceEpoch: node.valueMsEpoch, hasDate: true, hasTime: true };
        }
        break;
      case 'timePicker':
        if (node.hours !== undefined && node.minutes !== undefined) {
          values[field] = { hours: node.hours, minutes: node.minutes };
        }
        break;
      case 'switch':
        if (node.selected) values[field] = [node.value];
        break;
    }
  }
  return values;
}

/** Checks a teacher's value fits the widget, as the client only submits what the widget allows. */
function applyOverride(node: InputNode, value: FormValue): FormValue {
  if (value === null) return null;
  switch (node.kind) {
    case 'switch':
      if (typeof value !== 'boolean')
        throw new Error(`Switch "${node.fieldName}" takes true or false`);
      return value ? [node.value] : null;
    case 'selectionInput': {
      const chosen = typeof value === 'string' ? [value] : value;
      if (!Array.isArray(chosen))
        throw new Error(`Selection "${node.fieldName}" takes item values`);
      const allowed = node.items.map((i) => i.value);
      const unknown = chosen.filter((v) => !allowed.includes(v));
      if (unknown.length) {
        throw new Error(
          `Selection "${node.fieldName}" has no item ${unknown.map((u) => `"${u}"`).join(', ')}; items: ${allowed
            .map((a) => `"${a}"`)
            .join(', ')}`,
        );
      }
      if ((node.type === 'RADIO_BUTTON' || node.type === 'DROPDOWN') && chosen.length > 1) {
        throw new Error(`Selection "${node.fieldName}" (${node.type}) allows one value`);
      }
      return chosen;
    }
    case 'textInput':
      if (typeof value !== 'string')
        throw new Error(`Text input "${node.fieldName}" takes a string`);
      return value === '' ? null : value;
    case 'datePicker':
    case 'dateTimePicker':
      if (!isDateValue(value)) throw new Error(`"${node.fieldName}" takes { msSinceEpoch }`);
      return value;
    case 'timePicker':
      if (!isTimeValue(value)) throw new Error(`"${node.fieldName}" takes { hours, minutes }`);
      return value;
  }
}

/**
 * Clicks the button labelled `buttonText` on `card`: builds the event object Google would send
 * (the card's current input values, overridden by `base.formInputs`, and the action's
 * parameters) and returns what the button's function returned.
 */
export function click(
  card: unknown,
  buttonText: string,
  run: RunFunction,
  base: EventOptions = {},
): unknown {
  const target = cardOf(card);
  const button = findButton(target, buttonText);
  if (button.kind === 'textButton' && button.disabled) {
    throw new Error(`Button "${buttonText}" is disabled`);
  }
  return runAction(target, actionOf(button), run, base);
}

/** Clicks a clickable line (DecoratedText with an action) whose text includes `text`. */
export function clickText(card: unknown, text: string, run: RunFunction, base: EventOptions = {}) {
  const target = cardOf(card);
  return runAction(target, actionOf(findClickableText(target, text)), run, base);
}

function runAction(
  target: CardNode,
  action: { functionName: string; parameters: Record<string, string> },
  run: RunFunction,
  base: EventOptions,
): unknown {
  const { functionName, parameters } = action;
  const fields = inputs(target);
  const values = currentValues(target);
  for (const [field, value] of Object.entries(base.formInputs ?? {})) {
    const node = fields[field];
    if (!node) {
      throw new Error(
        `No input "${field}" on the card; inputs: ${Object.keys(fields).join(', ') || 'none'}`,
      );
    }
    values[field] = applyOverride(node, value);
  }
  const kinds = Object.fromEntries(Object.entries(fields).map(([k, n]) => [k, n.kind]));
  const event = eventObject({ ...base, formInputs: values, parameters }, kinds);
  return run(functionName, event, { user: base.user });
}

/**
 * Flips the switch `fieldName` (a Switch in a DecoratedText) as a teacher does, and runs its
 * onChangeAction. The event carries the card's inputs with the switch's new state: its value
 * when switched on, nothing when off ("Sets the value that is sent as the form input when this
 * switch is toggled on", doc: https://developers.google.com/apps-script/reference/card-service/switch#setvaluevalue).
 */
export function toggle(
  card: unknown,
  fieldName: string,
  run: RunFunction,
  base: EventOptions = {},
): unknown {
  const target = cardOf(card);
  const node = inputs(target)[fieldName];
  if (node?.kind !== 'switch') throw new Error(`No switch "${fieldName}" on the card`);
  if (!node.onChangeAction) throw new Error(`Switch "${fieldName}" has no onChangeAction`);
  const fields = inputs(target);
  const values = currentValues(target);
  for (const [field, value] of Object.entries(base.formInputs ?? {})) {
    const other = fields[field];
    if (!other) throw new Error(`No input "${field}" on the card`);
    values[field] = applyOverride(other, value);
  }
  values[fieldName] = node.selected ? null : [node.value];
  const kinds = Object.fromEntries(Object.entries(fields).map(([k, n]) => [k, n.kind]));
  const { functionName, parameters } = node.onChangeAction;
  const event = eventObject({ ...base, formInputs: values, parameters: { ...parameters } }, kinds);
  return run(functionName, event, { user: base.user });
}

// ---------------------------------------------------------------- the card stack

/**
 * The sidebar's card stack as the host keeps it (doc: https://developers.google.com/workspace/add-ons/how-tos/navigation):
 * the homepage trigger's card is the root; the host shows the top card, with a Back arrow
 * while there is more than one. An ActionResponse's navigation steps run in order: pushCard
 * adds a card, popCard removes the top one, popToRoot leaves only the root, popToNamedCard
 * pops down to the named card, updateCard replaces the top card in place
 * (doc: https://developers.google.com/apps-script/reference/card-service/navigation).
 */
export class CardStack {
  private readonly stack: CardNode[];

  constructor(root: unknown) {
    this.stack = [cardOf(root)];
  }

  get cards(): readonly CardNode[] {
    return [...this.stack];
  }

  get top(): CardNode {
    return this.stack[this.stack.length - 1]!;
  }

  /** The host shows a Back arrow only above the root. */
  get canGoBack(): boolean {
    return this.stack.length > 1;
  }

  /** Applies what a card action returned (a response with no navigation changes nothing). */
  apply(response: unknown): void {
    const node = response as { kind?: string; navigation?: { steps: NavigationStep[] } };
    if (node?.kind !== 'actionResponse')
      throw new Error(`Expected an ActionResponse, got ${describe(response)}`);
    for (const step of node.navigation?.steps ?? []) this.step(step);
  }

  private step(step: NavigationStep): void {
    switch (step.op) {
      case 'pushCard':
        this.stack.push(step.card);
        break;
      case 'updateCard':
        this.stack[this.stack.length - 1] = step.card;
        break;
      case 'popCard':
        // assumption: the host keeps the root card; popping it is ignored (the docs are silent).
        if (this.stack.length > 1) this.stack.pop();
        break;
      case 'popToRoot':
        this.stack.length = 1;
        break;
      case 'popToNamedCard': {
        const at = this.stack.map((c) => c.name).lastIndexOf(step.name);
        // assumption: an unknown name leaves the stack as it is (the docs are silent).
        if (at >= 0) this.stack.length = at + 1;
        break;
      }
    }
  }

  /** The Back arrow: the card under the top one is shown again, as it was built. */
  back(): CardNode {
    if (!this.canGoBack) throw new Error('No Back arrow on the root card');
    this.stack.pop();
    return this.top;
  }
}

// ---------------------------------------------------------------- escaping checks

export interface MarkupFinding {
  /** Where on the card, e.g. `section 1 "Pupils" › decoratedText.text`. */
  where: string;
  text: string;
  problems: string[];
}

/**
 * Text widgets render a small HTML subset (doc: https://developers.google.com/workspace/add-ons/concepts/widgets#text_formatting);
 * every other string is shown as plain text. Flags markup outside the subset in text
 * widgets, and any markup at all in plain-text fields: both mean data reached the card unescaped.
 */
export function unsafeMarkup(text: string, field: 'html' | 'plain' = 'html'): string[] {
  return tokenizeMarkup(text)
    .filter((t): t is Exclude<MarkupToken, { type: 'text' }> => t.type !== 'text')
    .filter((t) => field === 'plain' || t.type === 'bad')
    .map((t) =>
      t.type === 'bad' ? `${t.raw} (${t.reason})` : `${t.raw} (markup in a plain-text field)`,
    );
}

/** Every string on the cards with markup that should have been escaped; [] when clean. */
export function findUnescapedHtml(root: unknown): MarkupFinding[] {
  const findings: MarkupFinding[] = [];
  const check = (where: string, text: string | undefined, field: 'html' | 'plain') => {
    if (!text) return;
    const problems = unsafeMarkup(text, field);
    if (problems.length) findings.push({ where, text, problems });
  };
  cardsOf(root).forEach((card, ci) => {
    const at = `card ${ci + 1}`;
    check(`${at} › header.title`, card.header?.title, 'plain');
    check(`${at} › header.subtitle`, card.header?.subtitle, 'plain');
    card.sections.forEach((section, si) => {
      const sat = `${at} › section ${si + 1}`;
      check(`${sat} › header`, section.header, 'plain');
      for (const node of sectionNodes(section)) checkNode(`${sat} › ${node.kind}`, node, check);
    });
    if (card.fixedFooter) {
      checkNode(`${at} › fixedFooter`, card.fixedFooter.primaryButton, check);
      if (card.fixedFooter.secondaryButton)
        checkNode(`${at} › fixedFooter`, card.fixedFooter.secondaryButton, check);
    }
  });
  return findings;
}

function checkNode(
  at: string,
  node: AnyNode | WidgetNode,
  check: (where: string, text: string | undefined, field: 'html' | 'plain') => void,
): void {
  switch (node.kind) {
    case 'textParagraph':
      check(`${at}.text`, node.text, 'html');
      break;
    case 'decoratedText':
      check(`${at}.topLabel`, node.topLabel, 'html');
      check(`${at}.text`, node.text, 'html');
      check(`${at}.bottomLabel`, node.bottomLabel, 'html');
      break;
    case 'textButton':
      check(`${at}.text`, node.text, 'plain');
      break;
    case 'textInput':
      check(`${at}.title`, node.title, 'plain');
      check(`${at}.value`, node.value, 'plain');
      check(`${at}.hint`, node.hint, 'plain');
      break;
    case 'selectionInput':
      check(`${at}.title`, node.title, 'plain');
      for (const item of node.items) check(`${at}.item`, item.text, 'plain');
      break;
    case 'datePicker':
    case 'dateTimePicker':
    case 'timePicker':
      check(`${at}.title`, node.title, 'plain');
      break;
    default:
      break;
  }
}
