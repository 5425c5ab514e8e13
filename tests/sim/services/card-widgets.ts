// The display widgets (TextParagraph, DecoratedText, Divider, Image) and the pieces they
// carry (IconImage, Switch): what a teacher reads on a card.

import { ClickTarget, requireAction, type SimAction } from './card-actions';
import { buttonNode, SimImageButton, SimTextButton } from './card-buttons';
import { enumName } from './card-enums';
import {
  cardError,
  compact,
  type DecoratedTextNode,
  type DividerNode,
  type Fluent,
  type IconNode,
  type ImageNode,
  type NodeSource,
  type SwitchNode,
  type TextParagraphNode,
} from './card-tree';

type ActionArg = GoogleAppsScript.Card_Service.Action;

// doc: https://developers.google.com/apps-script/reference/card-service/text-paragraph
export class SimTextParagraph
  implements
    Fluent<GoogleAppsScript.Card_Service.TextParagraph, 'setText', SimTextParagraph>,
    NodeSource<TextParagraphNode>
{
  private text?: string;

  setText(text: string): SimTextParagraph {
    this.text = text;
    return this;
  }

  toNode(): TextParagraphNode {
    // doc: setText "Sets the text of the paragraph. Required."
    if (this.text === undefined || this.text === '') {
      throw cardError('TextParagraph is missing its text: call setText().');
    }
    return { kind: 'textParagraph', text: this.text };
  }
}

// doc: https://developers.google.com/apps-script/reference/card-service/icon-image
export class SimIconImage
  implements
    Fluent<
      GoogleAppsScript.Card_Service.IconImage,
      'setIcon' | 'setIconUrl' | 'setAltText',
      SimIconImage
    >,
    NodeSource<IconNode>
{
  private icon?: string;
  private iconUrl?: string;
  private altText?: string;

  setIcon(icon: GoogleAppsScript.Card_Service.Icon): SimIconImage {
    this.icon = String(icon);
    return this;
  }

  setIconUrl(url: string): SimIconImage {
    this.iconUrl = url;
    return this;
  }

  setAltText(altText: string): SimIconImage {
    this.altText = altText;
    return this;
  }

  toNode(): IconNode {
    if (!this.icon && !this.iconUrl) {
      throw cardError('IconImage is missing its icon: call setIcon() or setIconUrl().');
    }
    return compact({ icon: this.icon, iconUrl: this.iconUrl, altText: this.altText });
  }
}

// doc: https://developers.google.com/apps-script/reference/card-service/switch
export class SimSwitch
  implements
    Fluent<
      GoogleAppsScript.Card_Service.Switch,
      'setFieldName' | 'setValue' | 'setSelected' | 'setControlType' | 'setOnChangeAction',
      SimSwitch
    >,
    NodeSource<SwitchNode>
{
  private fieldName?: string;
  private value = '';
  private selected = false;
  private controlType: 'SWITCH' | 'CHECK_BOX' = 'SWITCH';
  private onChange?: SimAction;

  setFieldName(fieldName: string): SimSwitch {
    this.fieldName = fieldName;
    return this;
  }

  setValue(value: string): SimSwitch {
    this.value = value;
    return this;
  }

  setSelected(selected: boolean): SimSwitch {
    this.selected = Boolean(selected);
    return this;
  }

  setControlType(type: GoogleAppsScript.Card_Service.SwitchControlType): SimSwitch {
    this.controlType = enumName(type, ['SWITCH', 'CHECK_BOX'], 'controlType');
    return this;
  }

  setOnChangeAction(action: ActionArg): SimSwitch {
    this.onChange = requireAction(action);
    return this;
  }

  toNode(): SwitchNode {
    // doc: setFieldName "Sets the key that identifies this switch in the event object ... Required."
    if (!this.fieldName) throw cardError('Switch is missing a field name: call setFieldName().');
    return compact({
      kind: 'switch' as const,
      fieldName: this.fieldName,
      value: this.value,
      selected: this.selected,
      controlType: this.controlType,
      onChangeAction: this.onChange?.toNode(),
    });
  }
}

// doc: https://developers.google.com/apps-script/reference/card-service/decorated-text
export class SimDecoratedText
  implements
    Fluent<
      GoogleAppsScript.Card_Service.DecoratedText,
      | 'setText'
      | 'setTopLabel'
      | 'setBottomLabel'
      | 'setWrapText'
      | 'setButton'
      | 'setStartIcon'
      | 'setSwitchControl'
      | 'setOnClickAction'
      | 'setOpenLink'
      | 'setOnClickOpenLinkAction',
      SimDecoratedText
    >,
    NodeSource<DecoratedTextNode>
{
  private text?: string;
  private topLabel?: string;
  private bottomLabel?: string;
  private wrapText = false;
  private button?: SimTextButton | SimImageButton;
  private startIcon?: SimIconImage;
  private switchControl?: SimSwitch;
  private readonly click = new ClickTarget();

  setText(text: string): SimDecoratedText {
    this.text = text;
    return this;
  }

  setTopLabel(text: string): SimDecoratedText {
    this.topLabel = text;
    return this;
  }

  setBottomLabel(text: string): SimDecoratedText {
    this.bottomLabel = text;
    return this;
  }

  setWrapText(wrapText: boolean): SimDecoratedText {
    this.wrapText = Boolean(wrapText);
    return this;
  }

  setButton(button: GoogleAppsScript.Card_Service.Button): SimDecoratedText {
    if (!(button instanceof SimTextButton || button instanceof SimImageButton)) {
      throw cardError('Invalid argument: button');
    }
    this.button = button;
    return this;
  }

  setStartIcon(startIcon: GoogleAppsScript.Card_Service.IconImage): SimDecoratedText {
    if (!(startIcon instanceof SimIconImage)) throw cardError('Invalid argument: startIcon');
    this.startIcon = startIcon;
    return this;
  }

  setSwitchControl(switchToSet: GoogleAppsScript.Card_Service.Switch): SimDecoratedText {
    if (!(switchToSet instanceof SimSwitch)) throw cardError('Invalid argument: switchToSet');
    this.switchControl = switchToSet;
    return this;
  }

  setOnClickAction(action: ActionArg): SimDecoratedText {
    this.click.action(action);
    return this;
  }

  setOpenLink(openLink: GoogleAppsScript.Card_Service.OpenLink): SimDecoratedText {
    this.click.openLink(openLink);
    return this;
  }

  setOnClickOpenLinkAction(action: ActionArg): SimDecoratedText {
    this.click.openLinkAction(action);
    return this;
  }

  toNode(): DecoratedTextNode {
    // doc: setText "Sets the text to be used as the value. ... Required."
    // (The class overview also asks for "one of the keys" (icon or label); clients render
    // a bare text fine and the card JSON requires only `text`, so that is not enforced.)
    if (this.text === undefined || this.text === '') {
      throw cardError('DecoratedText is missing its text: call setText().');
    }
    // doc: https://developers.google.com/workspace/add-ons/reference/rpc/google.apps.card.v1#decoratedtext
    // button, switchControl and endIcon are one union field ("control").
    if (this.button && this.switchControl) {
      throw cardError('DecoratedText can have a button or a switch control, not both.');
    }
    return compact({
      kind: 'decoratedText' as const,
      text: this.text,
      topLabel: this.topLabel,
      bottomLabel: this.bottomLabel,
      wrapText: this.wrapText,
      startIcon: this.startIcon?.toNode(),
      button: this.button ? buttonNode(this.button) : undefined,
      switchControl: this.switchControl?.toNode(),
      onClick: this.click.toNode('DecoratedText'),
    });
  }
}

// doc: https://developers.google.com/apps-script/reference/card-service/divider
export class SimDivider implements NodeSource<DividerNode> {
  toNode(): DividerNode {
    return { kind: 'divider' };
  }
}

// doc: https://developers.google.com/apps-script/reference/card-service/image
export class SimImage
  implements
    Fluent<
      GoogleAppsScript.Card_Service.Image,
      'setImageUrl' | 'setAltText' | 'setOnClickAction' | 'setOpenLink',
      SimImage
    >,
    NodeSource<ImageNode>
{
  private imageUrl?: string;
  private altText?: string;
  private readonly click = new ClickTarget();

  setImageUrl(url: string): SimImage {
    this.imageUrl = url;
    return this;
  }

  setAltText(altText: string): SimImage {
    this.altText = altText;
    return this;
  }

  setOnClickAction(action: ActionArg): SimImage {
    this.click.action(action);
    return this;
  }

  setOpenLink(openLink: GoogleAppsScript.Card_Service.OpenLink): SimImage {
    this.click.openLink(openLink);
    return this;
  }

  toNode(): ImageNode {
    if (!this.imageUrl) throw cardError('Image is missing its URL: call setImageUrl().');
    return compact({
      kind: 'image' as const,
      imageUrl: this.imageUrl,
      altText: this.altText,
      onClick: this.click.toNode('Image'),
    });
  }
}
