// The one file that touches the Apps Script global scope: it wires adapters to use
// cases and exposes the functions Apps Script calls by name.

declare const global: Record<string, unknown>;

function onHomepage(): GoogleAppsScript.Card_Service.Card {
  return CardService.newCardBuilder()
    .setHeader(CardService.newCardHeader().setTitle('Safe Live Lessons'))
    .build();
}

global.onHomepage = onHomepage;
global.onCalendarEventOpen = onHomepage;
