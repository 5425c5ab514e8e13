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

/** The action response for a card action: a notification, optionally with the card to show next. */
export function respond(cs: CS, message: string, card?: GoogleAppsScript.Card_Service.Card) {
  const builder = cs
    .newActionResponseBuilder()
    .setNotification(cs.newNotification().setText(message.slice(0, 300)));
  if (card) builder.setNavigation(cs.newNavigation().updateCard(card));
  return builder.build();
}
