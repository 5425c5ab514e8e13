// Small helpers every card uses. Card text widgets render a subset of HTML, so every
// string that came from a person or from Google is escaped before it is shown.

export type CS = GoogleAppsScript.Card_Service.CardService;

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** A button that calls an entry point with string parameters (Apps Script requires strings). */
export function actionButton(
  cs: CS,
  label: string,
  functionName: string,
  parameters: Record<string, string> = {},
  filled = false,
) {
  const button = cs
    .newTextButton()
    .setText(label)
    .setOnClickAction(cs.newAction().setFunctionName(functionName).setParameters(parameters));
  return filled ? button.setTextButtonStyle(cs.TextButtonStyle.FILLED) : button;
}

export function paragraph(cs: CS, text: string) {
  return cs.newTextParagraph().setText(escapeHtml(text));
}

export function labelled(cs: CS, label: string, text: string) {
  return cs
    .newDecoratedText()
    .setTopLabel(escapeHtml(label))
    .setText(escapeHtml(text))
    .setWrapText(true);
}

/**
 * Cards shown as the root of the sidebar's stack (the homepage). Whatever handler shows one
 * after a change, the stack is reset to it, so the Back arrow never leads to a card from
 * before the change. Identity is kept for this execution only (a card is built per execution).
 */
const roots = new WeakSet<object>();

export function asRoot(
  card: GoogleAppsScript.Card_Service.Card,
): GoogleAppsScript.Card_Service.Card {
  roots.add(card);
  return card;
}

/**
 * The action response for a card action: a notification, optionally with the card to show next.
 * A root card (the homepage) replaces the whole stack (popToRoot, then updateCard); any other
 * card replaces the current one in place (updateCard: "Does an in-place replacement of the
 * current card", doc: https://developers.google.com/apps-script/reference/card-service/navigation).
 */
export function respond(cs: CS, message: string, card?: GoogleAppsScript.Card_Service.Card) {
  const builder = cs
    .newActionResponseBuilder()
    .setNotification(cs.newNotification().setText(message.slice(0, 300)));
  if (card) {
    const nav = roots.has(card)
      ? cs.newNavigation().popToRoot().updateCard(card)
      : cs.newNavigation().updateCard(card);
    builder.setNavigation(nav);
  }
  return builder.build();
}

/**
 * After a change, the whole stack drawn again from the store: the root card (`cards[0]`)
 * replaces the root, and the cards above it are pushed fresh, so no card the teacher can
 * go Back to shows the state from before the change. Google's navigation guide: popToRoot
 * "Pops the card stack to the root card" and navigation methods "Can be chained"; to update a
 * previous card as well as the current one, pop and push both again
 * (doc: https://developers.google.com/workspace/add-ons/how-tos/navigation, "Navigation tips").
 */
export function showFresh(
  cs: CS,
  cards: readonly GoogleAppsScript.Card_Service.Card[],
  message?: string,
): GoogleAppsScript.Card_Service.ActionResponse {
  const [root, ...above] = cards;
  if (!root) throw new Error('showFresh needs a root card');
  const nav = cs.newNavigation().popToRoot().updateCard(root);
  for (const card of above) nav.pushCard(card);
  const builder = cs.newActionResponseBuilder().setNavigation(nav);
  if (message) builder.setNotification(cs.newNotification().setText(message.slice(0, 300)));
  return builder.build();
}

/** Pushes a card (further detail, a form or a confirmation) above the current one; Back returns. */
export function push(cs: CS, card: GoogleAppsScript.Card_Service.Card) {
  return cs.newActionResponseBuilder().setNavigation(cs.newNavigation().pushCard(card)).build();
}

/**
 * Long lists are shown a page at a time: a card section holds at most 100 widgets ("You can't
 * add more than 100 widgets to a card section",
 * doc: https://developers.google.com/apps-script/reference/card-service/card-section#addwidgetwidget),
 * and Google asks for few widgets per card
 * (doc: https://developers.google.com/workspace/add-ons/concepts/cards).
 */
export const PAGE_SIZE = 20;

export interface Page<T> {
  items: T[];
  /** Index of the first item shown (0-based). */
  from: number;
  total: number;
  previous: number | null;
  next: number | null;
}

export function pageOf<T>(items: readonly T[], from: number, size = PAGE_SIZE): Page<T> {
  const total = items.length;
  const last = total === 0 ? 0 : Math.floor((total - 1) / size) * size;
  const start =
    Number.isFinite(from) && from > 0 ? Math.min(Math.floor(from / size) * size, last) : 0;
  return {
    items: items.slice(start, start + size),
    from: start,
    total,
    previous: start > 0 ? start - size : null,
    next: start + size < total ? start + size : null,
  };
}

/** A section of plain-text notes under a header; nothing when there are none. */
export function addNotes(
  cs: CS,
  card: GoogleAppsScript.Card_Service.CardBuilder,
  header: string,
  notes: readonly string[],
): void {
  if (notes.length === 0) return;
  const section = cs.newCardSection().setHeader(escapeHtml(header));
  for (const note of notes) section.addWidget(paragraph(cs, note));
  card.addSection(section);
}
