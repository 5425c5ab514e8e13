// CardBuilder and what it assembles (CardHeader, CardSection, FixedFooter, CardAction):
// build() validates the whole card as Apps Script does and returns the frozen tree.

import { ClickTarget } from './card-actions';
import { SimButtonSet, SimImageButton, SimTextButton } from './card-buttons';
import { enumName } from './card-enums';
import {
  SimDatePicker,
  SimDateTimePicker,
  SimSelectionInput,
  SimTextInput,
  SimTimePicker,
} from './card-inputs';
import {
  type CardActionNode,
  type CardHeaderNode,
  type CardNode,
  type CardRunner,
  cardError,
  compact,
  directRun,
  type FixedFooterNode,
  type Fluent,
  type ImageStyleName,
  type NodeSource,
  type SectionNode,
  sealBuilt,
  type WidgetNode,
} from './card-tree';
import { SimDecoratedText, SimDivider, SimImage, SimTextParagraph } from './card-widgets';

type ActionArg = GoogleAppsScript.Card_Service.Action;

/**
 * doc: https://developers.google.com/apps-script/reference/card-service/card-section#addwidgetwidget
 * ("You can't add more than 100 widgets to a card section"); also
 * doc: https://developers.google.com/workspace/add-ons/concepts/cards (each card section holds
 * at most 100 widgets). Enforced at addWidget, with the reference's sentence as the error.
 */
export const MAX_WIDGETS_PER_SECTION = 100;
/** doc: https://developers.google.com/apps-script/reference/card-service/card-builder#addsectionsection */
export const MAX_SECTIONS_PER_CARD = 100;

const WIDGET_CLASSES = [
  SimTextParagraph,
  SimDecoratedText,
  SimButtonSet,
  SimTextButton,
  SimImageButton,
  SimDivider,
  SimImage,
  SimTextInput,
  SimSelectionInput,
  SimDatePicker,
  SimDateTimePicker,
  SimTimePicker,
];

function isWidget(value: unknown): value is NodeSource<WidgetNode> {
  return WIDGET_CLASSES.some((cls) => value instanceof cls);
}

// doc: https://developers.google.com/apps-script/reference/card-service/card-header
export class SimCardHeader
  implements
    Fluent<
      GoogleAppsScript.Card_Service.CardHeader,
      'setTitle' | 'setSubtitle' | 'setImageUrl' | 'setImageStyle' | 'setImageAltText',
      SimCardHeader
    >,
    NodeSource<CardHeaderNode>
{
  private title?: string;
  private subtitle?: string;
  private imageUrl?: string;
  private imageStyle?: ImageStyleName;
  private imageAltText?: string;

  setTitle(title: string): SimCardHeader {
    this.title = title;
    return this;
  }

  setSubtitle(subtitle: string): SimCardHeader {
    this.subtitle = subtitle;
    return this;
  }

  setImageUrl(imageUrl: string): SimCardHeader {
    this.imageUrl = imageUrl;
    return this;
  }

  setImageStyle(imageStyle: GoogleAppsScript.Card_Service.ImageStyle): SimCardHeader {
    this.imageStyle = enumName(imageStyle, ['SQUARE', 'CIRCLE'], 'imageStyle');
    return this;
  }

  setImageAltText(imageAltText: string): SimCardHeader {
    this.imageAltText = imageAltText;
    return this;
  }

  toNode(): CardHeaderNode {
    // doc: setTitle "Sets the title of the header. Required."
    if (!this.title) throw cardError('CardHeader is missing its title: call setTitle().');
    return compact({
      title: this.title,
      subtitle: this.subtitle,
      imageUrl: this.imageUrl,
      imageStyle: this.imageStyle,
      imageAltText: this.imageAltText,
    });
  }
}

// doc: https://developers.google.com/apps-script/reference/card-service/card-section
export class SimCardSection
  implements
    Fluent<
      GoogleAppsScript.Card_Service.CardSection,
      'setHeader' | 'addWidget' | 'setCollapsible' | 'setNumUncollapsibleWidgets',
      SimCardSection
    >,
    NodeSource<SectionNode>
{
  private header?: string;
  private collapsible = false;
  private numUncollapsibleWidgets?: number;
  private readonly widgets: NodeSource<WidgetNode>[] = [];

  setHeader(header: string): SimCardSection {
    this.header = header;
    return this;
  }

  addWidget(widget: GoogleAppsScript.Card_Service.Widget): SimCardSection {
    if (!isWidget(widget)) throw cardError('Invalid argument: widget');
    // doc: "You can't add more than 100 widgets to a card section."
    if (this.widgets.length >= MAX_WIDGETS_PER_SECTION) {
      throw cardError(
        `You can't add more than ${MAX_WIDGETS_PER_SECTION} widgets to a card section.`,
      );
    }
    this.widgets.push(widget);
    return this;
  }

  setCollapsible(collapsible: boolean): SimCardSection {
    this.collapsible = Boolean(collapsible);
    return this;
  }

  setNumUncollapsibleWidgets(numUncollapsibleWidgets: number): SimCardSection {
    this.numUncollapsibleWidgets = numUncollapsibleWidgets;
    return this;
  }

  toNode(): SectionNode {
    // doc: https://developers.google.com/workspace/add-ons/reference/rpc/google.apps.card.v1#section
    // widgets: "Must contain at least one widget."
    if (this.widgets.length === 0) {
      const name = this.header ? ` "${this.header}"` : '';
      throw cardError(`Card section${name} must contain at least one widget.`);
    }
    return compact({
      header: this.header,
      collapsible: this.collapsible,
      numUncollapsibleWidgets: this.numUncollapsibleWidgets,
      widgets: this.widgets.map((w) => w.toNode()),
    });
  }
}

// doc: https://developers.google.com/apps-script/reference/card-service/fixed-footer
export class SimFixedFooter
  implements
    Fluent<
      GoogleAppsScript.Card_Service.FixedFooter,
      'setPrimaryButton' | 'setSecondaryButton',
      SimFixedFooter
    >,
    NodeSource<FixedFooterNode>
{
  private primary?: SimTextButton;
  private secondary?: SimTextButton;

  setPrimaryButton(button: GoogleAppsScript.Card_Service.TextButton): SimFixedFooter {
    if (!(button instanceof SimTextButton)) throw cardError('Invalid argument: button');
    this.primary = button;
    return this;
  }

  setSecondaryButton(button: GoogleAppsScript.Card_Service.TextButton): SimFixedFooter {
    if (!(button instanceof SimTextButton)) throw cardError('Invalid argument: button');
    this.secondary = button;
    return this;
  }

  toNode(): FixedFooterNode {
    // doc: https://developers.google.com/workspace/add-ons/reference/rpc/google.apps.card.v1#cardfixedfooter
    // the secondary button needs a primary one ("If you set secondaryButton, you must also set primaryButton").
    if (!this.primary) {
      throw cardError('FixedFooter is missing its primary button: call setPrimaryButton().');
    }
    return compact({
      primaryButton: this.primary.toNode(),
      secondaryButton: this.secondary?.toNode(),
    });
  }
}

// doc: https://developers.google.com/apps-script/reference/card-service/card-action
export class SimCardAction
  implements
    Fluent<
      GoogleAppsScript.Card_Service.CardAction,
      'setText' | 'setOnClickAction' | 'setOpenLink' | 'setOnClickOpenLinkAction',
      SimCardAction
    >,
    NodeSource<CardActionNode>
{
  private text?: string;
  private readonly click = new ClickTarget();

  setText(text: string): SimCardAction {
    this.text = text;
    return this;
  }

  setOnClickAction(action: ActionArg): SimCardAction {
    this.click.action(action);
    return this;
  }

  setOpenLink(openLink: GoogleAppsScript.Card_Service.OpenLink): SimCardAction {
    this.click.openLink(openLink);
    return this;
  }

  setOnClickOpenLinkAction(action: ActionArg): SimCardAction {
    this.click.openLinkAction(action);
    return this;
  }

  toNode(): CardActionNode {
    if (!this.text) throw cardError('CardAction is missing its text: call setText().');
    const onClick = this.click.toNode(`CardAction "${this.text}"`);
    if (!onClick) throw cardError(`CardAction "${this.text}" needs an action.`);
    return { text: this.text, onClick };
  }
}

// doc: https://developers.google.com/apps-script/reference/card-service/card-builder
export class SimCardBuilder
  implements
    Fluent<
      GoogleAppsScript.Card_Service.CardBuilder,
      | 'setHeader'
      | 'addSection'
      | 'setFixedFooter'
      | 'setName'
      | 'setDisplayStyle'
      | 'addCardAction'
      | 'setPeekCardHeader',
      SimCardBuilder
    >
{
  private header?: SimCardHeader;
  private peekHeader?: SimCardHeader;
  private readonly sections: SimCardSection[] = [];
  private readonly cardActions: SimCardAction[] = [];
  private footer?: SimFixedFooter;
  private name?: string;
  private displayStyle?: 'PEEK' | 'REPLACE';

  constructor(private readonly run: CardRunner = directRun) {}

  setHeader(cardHeader: GoogleAppsScript.Card_Service.CardHeader): SimCardBuilder {
    if (!(cardHeader instanceof SimCardHeader)) throw cardError('Invalid argument: cardHeader');
    this.header = cardHeader;
    return this;
  }

  setPeekCardHeader(peekCardHeader: GoogleAppsScript.Card_Service.CardHeader): SimCardBuilder {
    if (!(peekCardHeader instanceof SimCardHeader)) {
      throw cardError('Invalid argument: peekCardHeader');
    }
    this.peekHeader = peekCardHeader;
    return this;
  }

  addSection(section: GoogleAppsScript.Card_Service.CardSection): SimCardBuilder {
    if (!(section instanceof SimCardSection)) throw cardError('Invalid argument: section');
    // doc: "You can't add more than 100 sections to a card."
    if (this.sections.length >= MAX_SECTIONS_PER_CARD) {
      throw cardError(`You can't add more than ${MAX_SECTIONS_PER_CARD} sections to a card.`);
    }
    this.sections.push(section);
    return this;
  }

  addCardAction(cardAction: GoogleAppsScript.Card_Service.CardAction): SimCardBuilder {
    if (!(cardAction instanceof SimCardAction)) throw cardError('Invalid argument: cardAction');
    this.cardActions.push(cardAction);
    return this;
  }

  setFixedFooter(fixedFooter: GoogleAppsScript.Card_Service.FixedFooter): SimCardBuilder {
    if (!(fixedFooter instanceof SimFixedFooter)) throw cardError('Invalid argument: fixedFooter');
    this.footer = fixedFooter;
    return this;
  }

  setName(name: string): SimCardBuilder {
    this.name = name;
    return this;
  }

  setDisplayStyle(displayStyle: GoogleAppsScript.Card_Service.DisplayStyle): SimCardBuilder {
    this.displayStyle = enumName(displayStyle, ['PEEK', 'REPLACE'], 'displayStyle');
    return this;
  }

  /** doc: build() "Builds the current card and validates it." */
  build(): GoogleAppsScript.Card_Service.Card {
    return this.run('card.CardBuilder.build', () => this.buildNow());
  }

  private buildNow(): GoogleAppsScript.Card_Service.Card {
    // doc: https://developers.google.com/workspace/add-ons/reference/rpc/google.apps.card.v1#card
    // a card's sections hold its widgets; Apps Script refuses to build a card without one.
    if (this.sections.length === 0) {
      throw cardError('Card must contain at least one section: call addSection().');
    }
    const node: CardNode = compact({
      kind: 'card' as const,
      name: this.name,
      header: this.header?.toNode(),
      peekCardHeader: this.peekHeader?.toNode(),
      displayStyle: this.displayStyle,
      sections: this.sections.map((s) => s.toNode()),
      fixedFooter: this.footer?.toNode(),
      cardActions: this.cardActions.map((a) => a.toNode()),
    });
    checkUniqueFieldNames(node);
    return sealBuilt(node) as unknown as GoogleAppsScript.Card_Service.Card;
  }
}

/** doc: TextInput.setFieldName "Required, must be unique." (applied to every input of the card). */
function checkUniqueFieldNames(card: CardNode): void {
  const seen = new Set<string>();
  for (const section of card.sections) {
    for (const widget of section.widgets) {
      const names: string[] = [];
      if ('fieldName' in widget) names.push(widget.fieldName);
      if (widget.kind === 'decoratedText' && widget.switchControl) {
        names.push(widget.switchControl.fieldName);
      }
      for (const name of names) {
        if (seen.has(name)) {
          throw cardError(
            `Field name "${name}" is used by more than one input; it must be unique.`,
          );
        }
        seen.add(name);
      }
    }
  }
}
