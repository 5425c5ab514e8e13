// Action and OpenLink, and the "what happens on click" rule every clickable element shares,
// so buttons, images and decorated text validate their click the same way.

import { enumName } from './card-enums';
import {
  type ActionNode,
  cardError,
  type Fluent,
  type LoadIndicatorName,
  type NodeSource,
  type OnClickNode,
  type OnCloseName,
  type OpenAsName,
  type OpenLinkNode,
} from './card-tree';

// doc: https://developers.google.com/apps-script/reference/card-service/action
export class SimAction
  implements
    Fluent<
      GoogleAppsScript.Card_Service.Action,
      'setFunctionName' | 'setParameters' | 'setLoadIndicator' | 'setPersistValues',
      SimAction
    >,
    NodeSource<ActionNode>
{
  private functionName?: string;
  private parameters: Record<string, string> = {};
  private loadIndicator: LoadIndicatorName = 'SPINNER';
  private persistValues = false;

  setFunctionName(functionName: string): SimAction {
    if (typeof functionName !== 'string') throw cardError('Invalid argument: functionName');
    this.functionName = functionName;
    return this;
  }

  /**
   * doc: https://developers.google.com/apps-script/reference/card-service/action#setparametersparameters
   * "Both keys and values must be strings." Checked at the call, where Apps Script converts the
   * object to a string map (the exact error wording is not documented).
   */
  setParameters(parameters: { [key: string]: string }): SimAction {
    if (!parameters || typeof parameters !== 'object' || Array.isArray(parameters)) {
      throw cardError('Invalid argument: parameters');
    }
    const copy: Record<string, string> = {};
    for (const [key, value] of Object.entries(parameters as Record<string, unknown>)) {
      if (typeof value !== 'string') {
        throw cardError(
          `Invalid argument: parameters. Both keys and values must be strings, but "${key}" is ${
            value === null ? 'null' : typeof value
          }.`,
        );
      }
      copy[key] = value;
    }
    this.parameters = copy;
    return this;
  }

  setLoadIndicator(loadIndicator: GoogleAppsScript.Card_Service.LoadIndicator): SimAction {
    this.loadIndicator = enumName(loadIndicator, ['SPINNER', 'NONE'], 'loadIndicator');
    return this;
  }

  setPersistValues(persistValues: boolean): SimAction {
    this.persistValues = Boolean(persistValues);
    return this;
  }

  toNode(): ActionNode {
    // doc: setFunctionName "Sets the name of the callback function to be called. Required."
    if (!this.functionName) {
      throw cardError('Action is missing a function name: call setFunctionName().');
    }
    return {
      functionName: this.functionName,
      parameters: { ...this.parameters },
      loadIndicator: this.loadIndicator,
      persistValues: this.persistValues,
    };
  }
}

// doc: https://developers.google.com/apps-script/reference/card-service/open-link
export class SimOpenLink
  implements
    Fluent<
      GoogleAppsScript.Card_Service.OpenLink,
      'setUrl' | 'setOpenAs' | 'setOnClose',
      SimOpenLink
    >,
    NodeSource<OpenLinkNode>
{
  private url?: string;
  private openAs: OpenAsName = 'FULL_SIZE';
  private onClose: OnCloseName = 'NOTHING';

  setUrl(url: string): SimOpenLink {
    this.url = url;
    return this;
  }

  setOpenAs(openAs: GoogleAppsScript.Card_Service.OpenAs): SimOpenLink {
    this.openAs = enumName(openAs, ['FULL_SIZE', 'OVERLAY'], 'openAs');
    return this;
  }

  setOnClose(onClose: GoogleAppsScript.Card_Service.OnClose): SimOpenLink {
    this.onClose = enumName(onClose, ['NOTHING', 'RELOAD', 'RELOAD_ADD_ON'], 'onClose');
    return this;
  }

  toNode(): OpenLinkNode {
    if (!this.url) throw cardError('OpenLink is missing a URL: call setUrl().');
    return { url: this.url, openAs: this.openAs, onClose: this.onClose };
  }
}

export function requireAction(value: unknown, what = 'action'): SimAction {
  if (!(value instanceof SimAction)) throw cardError(`Invalid argument: ${what}`);
  return value;
}

export function requireOpenLink(value: unknown): SimOpenLink {
  if (!(value instanceof SimOpenLink)) throw cardError('Invalid argument: openLink');
  return value;
}

/**
 * The click of one UI object. doc: https://developers.google.com/apps-script/reference/card-service/text-button#setonclickactionaction
 * "A UI object can only have one of setOpenLink(openLink), setOnClickAction(action),
 * setOnClickOpenLinkAction(action), setAuthorizationAction(action), or
 * setComposeAction(action, composedEmailType) set."
 */
export class ClickTarget {
  /** Setting the same kind twice replaces it; two different kinds is the documented error. */
  private set = new Map<keyof OnClickNode, NodeSource<ActionNode | OpenLinkNode>>();

  action(value: unknown): void {
    this.set.set('action', requireAction(value));
  }

  openLink(value: unknown): void {
    this.set.set('openLink', requireOpenLink(value));
  }

  openLinkAction(value: unknown): void {
    this.set.set('openDynamicLinkAction', requireAction(value));
  }

  isSet(): boolean {
    return this.set.size > 0;
  }

  /** The click node, or undefined when none was set; `owner` names the object in errors. */
  toNode(owner: string): OnClickNode | undefined {
    if (this.set.size === 0) return undefined;
    if (this.set.size > 1) {
      throw cardError(
        `${owner} can only have one of setOpenLink, setOnClickAction or setOnClickOpenLinkAction set.`,
      );
    }
    const [[kind, source]] = [...this.set.entries()] as [
      [keyof OnClickNode, NodeSource<ActionNode | OpenLinkNode>],
    ];
    return { [kind]: source.toNode() } as OnClickNode;
  }
}
