// The form widgets (TextInput, SelectionInput, date/time pickers): what a teacher fills in,
// whose field names become the keys of the event object's formInputs.

import { requireAction, type SimAction } from './card-actions';
import { enumName } from './card-enums';
import {
  cardError,
  compact,
  type DatePickerNode,
  type DateTimePickerNode,
  type Fluent,
  type NodeSource,
  type SelectionInputNode,
  type SelectionInputTypeName,
  type SelectionItemNode,
  type TextInputNode,
  type TimePickerNode,
} from './card-tree';

type ActionArg = GoogleAppsScript.Card_Service.Action;

// doc: every input's setFieldName says "Sets the key that identifies this ... in the event
// object that is generated when there is a UI interaction. ... Required."
function requireFieldName(fieldName: string | undefined, widget: string): string {
  if (!fieldName) throw cardError(`${widget} is missing a field name: call setFieldName().`);
  return fieldName;
}

// doc: https://developers.google.com/apps-script/reference/card-service/text-input
export class SimTextInput
  implements
    Fluent<
      GoogleAppsScript.Card_Service.TextInput,
      'setFieldName' | 'setTitle' | 'setHint' | 'setValue' | 'setMultiline' | 'setOnChangeAction',
      SimTextInput
    >,
    NodeSource<TextInputNode>
{
  private fieldName?: string;
  private title?: string;
  private hint?: string;
  private value?: string;
  private multiline = false;
  private onChange?: SimAction;

  setFieldName(fieldName: string): SimTextInput {
    this.fieldName = fieldName;
    return this;
  }

  setTitle(title: string): SimTextInput {
    this.title = title;
    return this;
  }

  setHint(hint: string): SimTextInput {
    this.hint = hint;
    return this;
  }

  setValue(value: string): SimTextInput {
    this.value = value;
    return this;
  }

  setMultiline(multiline: boolean): SimTextInput {
    this.multiline = Boolean(multiline);
    return this;
  }

  setOnChangeAction(action: ActionArg): SimTextInput {
    this.onChange = requireAction(action);
    return this;
  }

  toNode(): TextInputNode {
    const fieldName = requireFieldName(this.fieldName, 'TextInput');
    // doc: setTitle "Sets the title to be shown above the input field. Required."
    if (!this.title) {
      throw cardError(`TextInput "${fieldName}" is missing its title: call setTitle().`);
    }
    return compact({
      kind: 'textInput' as const,
      fieldName,
      title: this.title,
      hint: this.hint,
      value: this.value,
      multiline: this.multiline,
      onChangeAction: this.onChange?.toNode(),
    });
  }
}

const SELECTION_TYPES: SelectionInputTypeName[] = [
  'CHECK_BOX',
  'RADIO_BUTTON',
  'DROPDOWN',
  'SWITCH',
  'MULTI_SELECT',
];

// doc: https://developers.google.com/apps-script/reference/card-service/selection-input
export class SimSelectionInput
  implements
    Fluent<
      GoogleAppsScript.Card_Service.SelectionInput,
      'setType' | 'setFieldName' | 'setTitle' | 'addItem' | 'setOnChangeAction',
      SimSelectionInput
    >,
    NodeSource<SelectionInputNode>
{
  // Choice: CHECK_BOX when setType is never called, as in the card JSON's default.
  private type: SelectionInputTypeName = 'CHECK_BOX';
  private fieldName?: string;
  private title?: string;
  private readonly items: SelectionItemNode[] = [];
  private onChange?: SimAction;

  setType(type: GoogleAppsScript.Card_Service.SelectionInputType): SimSelectionInput {
    this.type = enumName(type, SELECTION_TYPES, 'type');
    return this;
  }

  setFieldName(fieldName: string): SimSelectionInput {
    this.fieldName = fieldName;
    return this;
  }

  setTitle(title: string): SimSelectionInput {
    this.title = title;
    return this;
  }

  /**
   * doc: https://developers.google.com/apps-script/reference/card-service/selection-input#additemtext,-value,-selected
   * text and value: "Non-string primitive arguments are converted to strings automatically."
   */
  addItem(text: unknown, value: unknown, selected: boolean): SimSelectionInput {
    this.items.push({ text: String(text), value: String(value), selected: Boolean(selected) });
    return this;
  }

  setOnChangeAction(action: ActionArg): SimSelectionInput {
    this.onChange = requireAction(action);
    return this;
  }

  toNode(): SelectionInputNode {
    return compact({
      kind: 'selectionInput' as const,
      type: this.type,
      fieldName: requireFieldName(this.fieldName, 'SelectionInput'),
      title: this.title,
      items: this.items.map((item) => ({ ...item })),
      onChangeAction: this.onChange?.toNode(),
    });
  }
}

function msValue(value: number | string, what: string): number {
  const ms = Number(value);
  if (!Number.isFinite(ms)) throw cardError(`Invalid argument: ${what}`);
  return ms;
}

// doc: https://developers.google.com/apps-script/reference/card-service/date-picker
export class SimDatePicker
  implements
    Fluent<
      GoogleAppsScript.Card_Service.DatePicker,
      'setFieldName' | 'setTitle' | 'setOnChangeAction',
      SimDatePicker
    >,
    NodeSource<DatePickerNode>
{
  private fieldName?: string;
  private title?: string;
  private valueMsEpoch?: number;
  private onChange?: SimAction;

  setFieldName(fieldName: string): SimDatePicker {
    this.fieldName = fieldName;
    return this;
  }

  setTitle(title: string): SimDatePicker {
    this.title = title;
    return this;
  }

  /** doc: takes a number or a string of milliseconds since the epoch (two overloads). */
  setValueInMsSinceEpoch(valueMsEpoch: number | string): SimDatePicker {
    this.valueMsEpoch = msValue(valueMsEpoch, 'valueMsEpoch');
    return this;
  }

  setOnChangeAction(action: ActionArg): SimDatePicker {
    this.onChange = requireAction(action);
    return this;
  }

  toNode(): DatePickerNode {
    return compact({
      kind: 'datePicker' as const,
      fieldName: requireFieldName(this.fieldName, 'DatePicker'),
      title: this.title,
      valueMsEpoch: this.valueMsEpoch,
      onChangeAction: this.onChange?.toNode(),
    });
  }
}

// doc: https://developers.google.com/apps-script/reference/card-service/date-time-picker
export class SimDateTimePicker
  implements
    Fluent<
      GoogleAppsScript.Card_Service.DateTimePicker,
      'setFieldName' | 'setTitle' | 'setTimeZoneOffsetInMins' | 'setOnChangeAction',
      SimDateTimePicker
    >,
    NodeSource<DateTimePickerNode>
{
  private fieldName?: string;
  private title?: string;
  private valueMsEpoch?: number;
  private timeZoneOffsetMins?: number;
  private onChange?: SimAction;

  setFieldName(fieldName: string): SimDateTimePicker {
    this.fieldName = fieldName;
    return this;
  }

  setTitle(title: string): SimDateTimePicker {
    this.title = title;
    return this;
  }

  setValueInMsSinceEpoch(valueMsEpoch: number | string): SimDateTimePicker {
    this.valueMsEpoch = msValue(valueMsEpoch, 'valueMsEpoch');
    return this;
  }

  setTimeZoneOffsetInMins(timeZoneOffsetMins: number): SimDateTimePicker {
    this.timeZoneOffsetMins = Number(timeZoneOffsetMins);
    return this;
  }

  setOnChangeAction(action: ActionArg): SimDateTimePicker {
    this.onChange = requireAction(action);
    return this;
  }

  toNode(): DateTimePickerNode {
    return compact({
      kind: 'dateTimePicker' as const,
      fieldName: requireFieldName(this.fieldName, 'DateTimePicker'),
      title: this.title,
      valueMsEpoch: this.valueMsEpoch,
      timeZoneOffsetMins: this.timeZoneOffsetMins,
      onChangeAction: this.onChange?.toNode(),
    });
  }
}

// doc: https://developers.google.com/apps-script/reference/card-service/time-picker
export class SimTimePicker
  implements
    Fluent<
      GoogleAppsScript.Card_Service.TimePicker,
      'setFieldName' | 'setTitle' | 'setHours' | 'setMinutes' | 'setOnChangeAction',
      SimTimePicker
    >,
    NodeSource<TimePickerNode>
{
  private fieldName?: string;
  private title?: string;
  private hours?: number;
  private minutes?: number;
  private onChange?: SimAction;

  setFieldName(fieldName: string): SimTimePicker {
    this.fieldName = fieldName;
    return this;
  }

  setTitle(title: string): SimTimePicker {
    this.title = title;
    return this;
  }

  setHours(hours: number): SimTimePicker {
    if (!Number.isInteger(hours) || hours < 0 || hours > 23)
      throw cardError('Invalid argument: hours');
    this.hours = hours;
    return this;
  }

  setMinutes(minutes: number): SimTimePicker {
    if (!Number.isInteger(minutes) || minutes < 0 || minutes > 59) {
      throw cardError('Invalid argument: minutes');
    }
    this.minutes = minutes;
    return this;
  }

  setOnChangeAction(action: ActionArg): SimTimePicker {
    this.onChange = requireAction(action);
    return this;
  }

  toNode(): TimePickerNode {
    return compact({
      kind: 'timePicker' as const,
      fieldName: requireFieldName(this.fieldName, 'TimePicker'),
      title: this.title,
      hours: this.hours,
      minutes: this.minutes,
      onChangeAction: this.onChange?.toNode(),
    });
  }
}
