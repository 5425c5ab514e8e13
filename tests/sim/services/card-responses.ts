// What an action callback returns: ActionResponse (notification, navigation, open link)
// and UniversalActionResponse, built into frozen trees the driver can read.

import { requireOpenLink, type SimOpenLink } from './card-actions';
import {
  type ActionResponseNode,
  type CardNode,
  type CardRunner,
  cardError,
  compact,
  directRun,
  type Fluent,
  isCardNode,
  type NavigationNode,
  type NavigationStep,
  type NotificationNode,
  sealBuilt,
  type UniversalActionResponseNode,
} from './card-tree';

// doc: https://developers.google.com/apps-script/reference/card-service/notification
export class SimNotification
  implements Fluent<GoogleAppsScript.Card_Service.Notification, 'setText', SimNotification>
{
  private text?: string;

  setText(text: string): SimNotification {
    this.text = text;
    return this;
  }

  toNode(): NotificationNode {
    // doc: setText "Sets the text to show in the notification. Required."
    if (!this.text) throw cardError('Notification is missing its text: call setText().');
    return { text: this.text };
  }
}

function requireBuiltCard(card: unknown): CardNode {
  if (!isCardNode(card)) {
    throw cardError('Invalid argument: card (pass the Card returned by CardBuilder.build())');
  }
  return card;
}

/**
 * doc: https://developers.google.com/apps-script/reference/card-service/navigation
 * Steps run in order on the client's card stack
 * (doc: https://developers.google.com/workspace/add-ons/how-tos/navigation).
 */
export class SimNavigation
  implements
    Fluent<
      GoogleAppsScript.Card_Service.Navigation,
      'pushCard' | 'popCard' | 'popToRoot' | 'updateCard' | 'popToNamedCard',
      SimNavigation
    >
{
  private readonly steps: NavigationStep[] = [];

  pushCard(card: GoogleAppsScript.Card_Service.Card): SimNavigation {
    this.steps.push({ op: 'pushCard', card: requireBuiltCard(card) });
    return this;
  }

  updateCard(card: GoogleAppsScript.Card_Service.Card): SimNavigation {
    this.steps.push({ op: 'updateCard', card: requireBuiltCard(card) });
    return this;
  }

  popCard(): SimNavigation {
    this.steps.push({ op: 'popCard' });
    return this;
  }

  popToRoot(): SimNavigation {
    this.steps.push({ op: 'popToRoot' });
    return this;
  }

  popToNamedCard(cardName: string): SimNavigation {
    this.steps.push({ op: 'popToNamedCard', name: cardName });
    return this;
  }

  printJson(): string {
    return JSON.stringify(this.toNode(), null, 2);
  }

  toNode(): NavigationNode {
    return { kind: 'navigation', steps: this.steps.map((step) => ({ ...step })) };
  }
}

// doc: https://developers.google.com/apps-script/reference/card-service/action-response-builder
export class SimActionResponseBuilder
  implements
    Fluent<
      GoogleAppsScript.Card_Service.ActionResponseBuilder,
      'setNotification' | 'setNavigation' | 'setOpenLink' | 'setStateChanged',
      SimActionResponseBuilder
    >
{
  private notification?: SimNotification;
  private navigation?: SimNavigation;
  private openLink?: SimOpenLink;
  private stateChanged = false;

  constructor(private readonly run: CardRunner = directRun) {}

  setNotification(
    notification: GoogleAppsScript.Card_Service.Notification,
  ): SimActionResponseBuilder {
    if (!(notification instanceof SimNotification))
      throw cardError('Invalid argument: notification');
    this.notification = notification;
    return this;
  }

  setNavigation(navigation: GoogleAppsScript.Card_Service.Navigation): SimActionResponseBuilder {
    if (!(navigation instanceof SimNavigation)) throw cardError('Invalid argument: navigation');
    this.navigation = navigation;
    return this;
  }

  setOpenLink(openLink: GoogleAppsScript.Card_Service.OpenLink): SimActionResponseBuilder {
    this.openLink = requireOpenLink(openLink);
    return this;
  }

  setStateChanged(stateChanged: boolean): SimActionResponseBuilder {
    this.stateChanged = Boolean(stateChanged);
    return this;
  }

  build(): GoogleAppsScript.Card_Service.ActionResponse {
    return this.run('card.ActionResponseBuilder.build', () => this.buildNow());
  }

  private buildNow(): GoogleAppsScript.Card_Service.ActionResponse {
    const node: ActionResponseNode = compact({
      kind: 'actionResponse' as const,
      notification: this.notification?.toNode(),
      navigation: this.navigation?.toNode(),
      openLink: this.openLink?.toNode(),
      stateChanged: this.stateChanged,
    });
    return sealBuilt(node) as unknown as GoogleAppsScript.Card_Service.ActionResponse;
  }
}

// doc: https://developers.google.com/apps-script/reference/card-service/universal-action-response-builder
export class SimUniversalActionResponseBuilder
  implements
    Fluent<
      GoogleAppsScript.Card_Service.UniversalActionResponseBuilder,
      'displayAddOnCards' | 'setOpenLink',
      SimUniversalActionResponseBuilder
    >
{
  private cards?: CardNode[];
  private openLink?: SimOpenLink;

  constructor(private readonly run: CardRunner = directRun) {}

  displayAddOnCards(
    cardObjects: GoogleAppsScript.Card_Service.Card[],
  ): SimUniversalActionResponseBuilder {
    if (!Array.isArray(cardObjects)) throw cardError('Invalid argument: cardObjects');
    this.cards = cardObjects.map((c) => requireBuiltCard(c));
    return this;
  }

  setOpenLink(openLink: GoogleAppsScript.Card_Service.OpenLink): SimUniversalActionResponseBuilder {
    this.openLink = requireOpenLink(openLink);
    return this;
  }

  build(): GoogleAppsScript.Card_Service.UniversalActionResponse {
    return this.run('card.UniversalActionResponseBuilder.build', () => this.buildNow());
  }

  private buildNow(): GoogleAppsScript.Card_Service.UniversalActionResponse {
    // Choice: a universal action must do something; the docs show one of the two set.
    if (!this.cards && !this.openLink) {
      throw cardError('UniversalActionResponse needs displayAddOnCards() or setOpenLink().');
    }
    const node: UniversalActionResponseNode = compact({
      kind: 'universalActionResponse' as const,
      cards: this.cards ? [...this.cards] : undefined,
      openLink: this.openLink?.toNode(),
    });
    return sealBuilt(node) as unknown as GoogleAppsScript.Card_Service.UniversalActionResponse;
  }
}
