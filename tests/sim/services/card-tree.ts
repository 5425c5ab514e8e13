// The immutable plain-object tree a built Card / ActionResponse becomes in the simulated
// CardService, so tests, the driver and the HTML renderer can inspect what the add-on showed.
// Names follow the card JSON of the Workspace add-ons card framework where one exists
// (doc: https://developers.google.com/workspace/add-ons/reference/rpc/google.apps.card.v1).
// Every user-visible string is kept exactly as the product gave it (escaping is the product's job).

import { appsScriptException } from '../kernel/google-error';

export type LoadIndicatorName = 'SPINNER' | 'NONE';
export type OpenAsName = 'FULL_SIZE' | 'OVERLAY';
export type OnCloseName = 'NOTHING' | 'RELOAD' | 'RELOAD_ADD_ON';
export type TextButtonStyleName = 'OUTLINED' | 'TEXT' | 'FILLED' | 'FILLED_TONAL' | 'BORDERLESS';
export type SelectionInputTypeName =
  | 'CHECK_BOX'
  | 'RADIO_BUTTON'
  | 'DROPDOWN'
  | 'SWITCH'
  | 'MULTI_SELECT';
export type ImageStyleName = 'SQUARE' | 'CIRCLE';

export interface ActionNode {
  functionName: string;
  parameters: Readonly<Record<string, string>>;
  loadIndicator: LoadIndicatorName;
  persistValues: boolean;
}

export interface OpenLinkNode {
  url: string;
  openAs: OpenAsName;
  onClose: OnCloseName;
}

/** Exactly one of these is set on a clickable element. */
export interface OnClickNode {
  action?: ActionNode;
  openLink?: OpenLinkNode;
  /** setOnClickOpenLinkAction: a function that returns the link to open. */
  openDynamicLinkAction?: ActionNode;
}

export interface TextButtonNode {
  kind: 'textButton';
  text: string;
  altText?: string;
  style?: TextButtonStyleName;
  backgroundColor?: string;
  disabled: boolean;
  onClick: OnClickNode;
}

export interface ImageButtonNode {
  kind: 'imageButton';
  altText?: string;
  icon?: string;
  iconUrl?: string;
  onClick: OnClickNode;
}

export type ButtonNode = TextButtonNode | ImageButtonNode;

export interface IconNode {
  icon?: string;
  iconUrl?: string;
  altText?: string;
}

export interface SwitchNode {
  kind: 'switch';
  fieldName: string;
  value: string;
  selected: boolean;
  controlType: 'SWITCH' | 'CHECK_BOX';
  onChangeAction?: ActionNode;
}

export interface TextParagraphNode {
  kind: 'textParagraph';
  text: string;
}

export interface DecoratedTextNode {
  kind: 'decoratedText';
  text: string;
  topLabel?: string;
  bottomLabel?: string;
  wrapText: boolean;
  startIcon?: IconNode;
  button?: ButtonNode;
  switchControl?: SwitchNode;
  onClick?: OnClickNode;
}

export interface ButtonSetNode {
  kind: 'buttonSet';
  buttons: ButtonNode[];
}

export interface DividerNode {
  kind: 'divider';
}

export interface ImageNode {
  kind: 'image';
  imageUrl: string;
  altText?: string;
  onClick?: OnClickNode;
}

export interface TextInputNode {
  kind: 'textInput';
  fieldName: string;
  title: string;
  hint?: string;
  value?: string;
  multiline: boolean;
  onChangeAction?: ActionNode;
}

export interface SelectionItemNode {
  text: string;
  value: string;
  selected: boolean;
}

export interface SelectionInputNode {
  kind: 'selectionInput';
  type: SelectionInputTypeName;
  fieldName: string;
  title?: string;
  items: SelectionItemNode[];
  onChangeAction?: ActionNode;
}

export interface DatePickerNode {
  kind: 'datePicker';
  fieldName: string;
  title?: string;
  valueMsEpoch?: number;
  onChangeAction?: ActionNode;
}

export interface DateTimePickerNode {
  kind: 'dateTimePicker';
  fieldName: string;
  title?: string;
  valueMsEpoch?: number;
  timeZoneOffsetMins?: number;
  onChangeAction?: ActionNode;
}

export interface TimePickerNode {
  kind: 'timePicker';
  fieldName: string;
  title?: string;
  hours?: number;
  minutes?: number;
  onChangeAction?: ActionNode;
}

export type InputNode =
  | TextInputNode
  | SelectionInputNode
  | DatePickerNode
  | DateTimePickerNode
  | TimePickerNode
  | SwitchNode;

export type WidgetNode =
  | TextParagraphNode
  | DecoratedTextNode
  | ButtonSetNode
  | TextButtonNode
  | ImageButtonNode
  | DividerNode
  | ImageNode
  | TextInputNode
  | SelectionInputNode
  | DatePickerNode
  | DateTimePickerNode
  | TimePickerNode;

export interface SectionNode {
  header?: string;
  collapsible: boolean;
  numUncollapsibleWidgets?: number;
  widgets: WidgetNode[];
}

export interface CardHeaderNode {
  title: string;
  subtitle?: string;
  imageUrl?: string;
  imageStyle?: ImageStyleName;
  imageAltText?: string;
}

export interface FixedFooterNode {
  primaryButton: TextButtonNode;
  secondaryButton?: TextButtonNode;
}

export interface CardActionNode {
  text: string;
  onClick: OnClickNode;
}

export interface CardNode {
  kind: 'card';
  name?: string;
  header?: CardHeaderNode;
  peekCardHeader?: CardHeaderNode;
  displayStyle?: 'PEEK' | 'REPLACE';
  sections: SectionNode[];
  fixedFooter?: FixedFooterNode;
  cardActions: CardActionNode[];
}

export interface NotificationNode {
  text: string;
}

export type NavigationStep =
  | { op: 'pushCard'; card: CardNode }
  | { op: 'updateCard'; card: CardNode }
  | { op: 'popCard' }
  | { op: 'popToRoot' }
  | { op: 'popToNamedCard'; name: string };

export interface NavigationNode {
  kind: 'navigation';
  steps: NavigationStep[];
}

export interface ActionResponseNode {
  kind: 'actionResponse';
  notification?: NotificationNode;
  navigation?: NavigationNode;
  openLink?: OpenLinkNode;
  stateChanged: boolean;
}

export interface UniversalActionResponseNode {
  kind: 'universalActionResponse';
  cards?: CardNode[];
  openLink?: OpenLinkNode;
}

/** Anything the driver can walk. */
export type AnyNode = WidgetNode | SwitchNode;

/** Apps Script's card errors are plain `Exception`s thrown by the builder call. */
export function cardError(message: string): Error {
  return appsScriptException(message);
}

/** Drops undefined keys so trees compare cleanly with toEqual and print compactly. */
export function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
  return out as T;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Freezes a built tree and gives it the one method the real built objects have,
 * `printJson()` (not enumerable, so the tree stays a plain object for toEqual).
 */
export function sealBuilt<T extends object>(node: T): T & { printJson(): string } {
  Object.defineProperty(node, 'printJson', {
    value: () => JSON.stringify(node, null, 2),
    enumerable: false,
  });
  return deepFreeze(node) as T & { printJson(): string };
}

export function isCardNode(value: unknown): value is CardNode {
  return !!value && typeof value === 'object' && (value as { kind?: unknown }).kind === 'card';
}

/** How a build() call reaches the kernel (counted as `card.*`); a plain call outside a workspace. */
export type CardRunner = <T>(key: string, op: () => T) => T;

export const directRun: CardRunner = (_key, op) => op();

/** Builders the simulated service hands out and later turns into nodes. */
export interface NodeSource<N> {
  toNode(): N;
}

export function isNodeSource(value: unknown): value is NodeSource<unknown> {
  return (
    !!value &&
    typeof value === 'object' &&
    typeof (value as NodeSource<unknown>).toNode === 'function'
  );
}

/**
 * A class implements `Fluent<Real, 'a' | 'b', Self>` to say "my methods a and b take exactly the
 * real Apps Script parameters": a renamed method or a changed parameter type is a compile error.
 * Return types become the simulated class, as each setter returns `this` for chaining.
 */
export type Fluent<T, K extends keyof T, Self> = {
  [P in K]: T[P] extends (...args: infer A) => unknown ? (...args: A) => Self : T[P];
};
