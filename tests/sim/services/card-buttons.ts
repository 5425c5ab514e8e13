// TextButton, ImageButton and ButtonSet: the things a teacher clicks, so the
// driver can find them by their visible text and run their action.

import { ClickTarget } from './card-actions';
import { enumName } from './card-enums';
import {
  type ButtonNode,
  type ButtonSetNode,
  cardError,
  compact,
  type Fluent,
  type ImageButtonNode,
  type NodeSource,
  type OnClickNode,
  type TextButtonNode,
  type TextButtonStyleName,
} from './card-tree';

type Btn = GoogleAppsScript.Card_Service.TextButton;

const STYLES: TextButtonStyleName[] = ['OUTLINED', 'TEXT', 'FILLED', 'FILLED_TONAL', 'BORDERLESS'];

/**
 * doc: https://developers.google.com/workspace/add-ons/reference/rpc/google.apps.card.v1#button
 * a button's onClick is "Required"; Apps Script checks it when the card is built.
 */
function requiredClick(click: ClickTarget, owner: string): OnClickNode {
  const node = click.toNode(owner);
  if (!node) {
    throw cardError(
      `${owner} needs an action: call setOnClickAction(), setOpenLink() or setOnClickOpenLinkAction().`,
    );
  }
  return node;
}

// doc: https://developers.google.com/apps-script/reference/card-service/text-button
export class SimTextButton
  implements
    Fluent<
      Btn,
      | 'setText'
      | 'setAltText'
      | 'setOnClickAction'
      | 'setOpenLink'
      | 'setOnClickOpenLinkAction'
      | 'setTextButtonStyle'
      | 'setBackgroundColor'
      | 'setDisabled',
      SimTextButton
    >,
    NodeSource<TextButtonNode>
{
  private text?: string;
  private altText?: string;
  private style?: TextButtonStyleName;
  private backgroundColor?: string;
  private disabled = false;
  private readonly click = new ClickTarget();

  setText(text: string): SimTextButton {
    this.text = text;
    return this;
  }

  setAltText(altText: string): SimTextButton {
    this.altText = altText;
    return this;
  }

  setOnClickAction(action: GoogleAppsScript.Card_Service.Action): SimTextButton {
    this.click.action(action);
    return this;
  }

  setOpenLink(openLink: GoogleAppsScript.Card_Service.OpenLink): SimTextButton {
    this.click.openLink(openLink);
    return this;
  }

  setOnClickOpenLinkAction(action: GoogleAppsScript.Card_Service.Action): SimTextButton {
    this.click.openLinkAction(action);
    return this;
  }

  setTextButtonStyle(
    textButtonStyle: GoogleAppsScript.Card_Service.TextButtonStyle,
  ): SimTextButton {
    this.style = enumName(textButtonStyle, STYLES, 'textButtonStyle');
    return this;
  }

  setBackgroundColor(backgroundColor: string): SimTextButton {
    this.backgroundColor = backgroundColor;
    return this;
  }

  setDisabled(disabled: boolean): SimTextButton {
    this.disabled = Boolean(disabled);
    return this;
  }

  toNode(): TextButtonNode {
    // Choice: a button must say what it does, in its text or (for assistive tech) its alt text.
    if (!this.text && !this.altText) {
      throw cardError('TextButton is missing its text: call setText().');
    }
    const owner = `TextButton "${this.text ?? this.altText}"`;
    return compact({
      kind: 'textButton' as const,
      text: this.text ?? '',
      altText: this.altText,
      style: this.style,
      backgroundColor: this.backgroundColor,
      disabled: this.disabled,
      onClick: requiredClick(this.click, owner),
    });
  }
}

// doc: https://developers.google.com/apps-script/reference/card-service/image-button
export class SimImageButton
  implements
    Fluent<
      GoogleAppsScript.Card_Service.ImageButton,
      | 'setAltText'
      | 'setIcon'
      | 'setIconUrl'
      | 'setOnClickAction'
      | 'setOpenLink'
      | 'setOnClickOpenLinkAction',
      SimImageButton
    >,
    NodeSource<ImageButtonNode>
{
  private altText?: string;
  private icon?: string;
  private iconUrl?: string;
  private readonly click = new ClickTarget();

  setAltText(altText: string): SimImageButton {
    this.altText = altText;
    return this;
  }

  setIcon(icon: GoogleAppsScript.Card_Service.Icon): SimImageButton {
    this.icon = String(icon);
    return this;
  }

  setIconUrl(url: string): SimImageButton {
    this.iconUrl = url;
    return this;
  }

  setOnClickAction(action: GoogleAppsScript.Card_Service.Action): SimImageButton {
    this.click.action(action);
    return this;
  }

  setOpenLink(openLink: GoogleAppsScript.Card_Service.OpenLink): SimImageButton {
    this.click.openLink(openLink);
    return this;
  }

  setOnClickOpenLinkAction(action: GoogleAppsScript.Card_Service.Action): SimImageButton {
    this.click.openLinkAction(action);
    return this;
  }

  toNode(): ImageButtonNode {
    const owner = `ImageButton "${this.altText ?? this.icon ?? this.iconUrl ?? ''}"`;
    if (!this.icon && !this.iconUrl) {
      throw cardError(`${owner} is missing its icon: call setIcon() or setIconUrl().`);
    }
    return compact({
      kind: 'imageButton' as const,
      altText: this.altText,
      icon: this.icon,
      iconUrl: this.iconUrl,
      onClick: requiredClick(this.click, owner),
    });
  }
}

export function buttonNode(value: unknown, what = 'button'): ButtonNode {
  if (value instanceof SimTextButton || value instanceof SimImageButton) return value.toNode();
  throw cardError(`Invalid argument: ${what}`);
}

// doc: https://developers.google.com/apps-script/reference/card-service/button-set
export class SimButtonSet
  implements
    Fluent<GoogleAppsScript.Card_Service.ButtonSet, 'addButton', SimButtonSet>,
    NodeSource<ButtonSetNode>
{
  private readonly buttons: unknown[] = [];

  addButton(button: GoogleAppsScript.Card_Service.Button): SimButtonSet {
    if (!(button instanceof SimTextButton || button instanceof SimImageButton)) {
      throw cardError('Invalid argument: button');
    }
    this.buttons.push(button);
    return this;
  }

  toNode(): ButtonSetNode {
    // Choice: an empty ButtonSet shows nothing; the Chat card reference lists no minimum.
    return { kind: 'buttonSet', buttons: this.buttons.map((b) => buttonNode(b)) };
  }
}
