// CardService's enums. In Apps Script an enum value prints as its name
// (String(CardService.TextButtonStyle.FILLED) === 'FILLED'), so the simulation uses the
// names themselves: the built tree then reads like the card JSON.
// doc: https://developers.google.com/apps-script/reference/card-service/text-button-style (and siblings)

import { cardError } from './card-tree';

type CS = GoogleAppsScript.Card_Service.CardService;

function enumOf<K extends keyof CS>(_key: K, names: readonly string[]): CS[K] {
  return Object.freeze(Object.fromEntries(names.map((n) => [n, n]))) as unknown as CS[K];
}

export const CARD_ENUMS = {
  TextButtonStyle: enumOf('TextButtonStyle', [
    'OUTLINED',
    'TEXT',
    'FILLED',
    'FILLED_TONAL',
    'BORDERLESS',
  ]),
  SelectionInputType: enumOf('SelectionInputType', [
    'CHECK_BOX',
    'RADIO_BUTTON',
    'DROPDOWN',
    'SWITCH',
    'MULTI_SELECT',
  ]),
  OpenAs: enumOf('OpenAs', ['FULL_SIZE', 'OVERLAY']),
  OnClose: enumOf('OnClose', ['NOTHING', 'RELOAD', 'RELOAD_ADD_ON']),
  LoadIndicator: enumOf('LoadIndicator', ['SPINNER', 'NONE']),
  ImageStyle: enumOf('ImageStyle', ['SQUARE', 'CIRCLE']),
  DisplayStyle: enumOf('DisplayStyle', ['PEEK', 'REPLACE']),
  SwitchControlType: enumOf('SwitchControlType', ['SWITCH', 'CHECK_BOX']),
  Icon: enumOf('Icon', [
    'NONE',
    'AIRPLANE',
    'BOOKMARK',
    'BUS',
    'CAR',
    'CLOCK',
    'CONFIRMATION_NUMBER_ICON',
    'DOLLAR',
    'DESCRIPTION',
    'EMAIL',
    'EVENT_PERFORMER',
    'EVENT_SEAT',
    'FLIGHT_ARRIVAL',
    'FLIGHT_DEPARTURE',
    'HOTEL',
    'HOTEL_ROOM_TYPE',
    'INVITE',
    'MAP_PIN',
    'MEMBERSHIP',
    'MULTIPLE_PEOPLE',
    'OFFER',
    'PERSON',
    'PHONE',
    'RESTAURANT_ICON',
    'SHOPPING_CART',
    'STAR',
    'STORE',
    'TICKET',
    'TRAIN',
    'VIDEO_CAMERA',
    'VIDEO_PLAY',
  ]),
};

/** The name behind an enum value the product passed in; rejects values from elsewhere. */
export function enumName<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  const name = String(value);
  if (!(allowed as readonly string[]).includes(name)) {
    // Apps Script rejects a wrong enum at the call with an "Invalid argument" Exception
    // (exact wording not documented; chosen to read like Apps Script's).
    throw cardError(`Invalid argument: ${what}`);
  }
  return name as T;
}
