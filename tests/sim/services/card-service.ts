// The simulated CardService global: the builders a Workspace add-on uses to draw its
// sidebar cards, producing inspectable frozen trees (card-tree.ts) instead of UI.
// doc: https://developers.google.com/apps-script/reference/card-service/card-service

import type { SimKernel } from '../kernel/kernel';
import { SimAction, SimOpenLink } from './card-actions';
import {
  SimCardAction,
  SimCardBuilder,
  SimCardHeader,
  SimCardSection,
  SimFixedFooter,
} from './card-builder';
import { SimButtonSet, SimImageButton, SimTextButton } from './card-buttons';
import { CARD_ENUMS } from './card-enums';
import {
  SimDatePicker,
  SimDateTimePicker,
  SimSelectionInput,
  SimTextInput,
  SimTimePicker,
} from './card-inputs';
import {
  SimActionResponseBuilder,
  SimNavigation,
  SimNotification,
  SimUniversalActionResponseBuilder,
} from './card-responses';
import { type CardRunner, directRun } from './card-tree';
import {
  SimDecoratedText,
  SimDivider,
  SimIconImage,
  SimImage,
  SimSwitch,
  SimTextParagraph,
} from './card-widgets';

/** The part of CardService the simulation offers; a name missing from the real one is a compile error. */
export type SimCardServiceKey =
  | keyof typeof CARD_ENUMS
  | 'newCardBuilder'
  | 'newCardHeader'
  | 'newCardSection'
  | 'newCardAction'
  | 'newFixedFooter'
  | 'newTextParagraph'
  | 'newDecoratedText'
  | 'newIconImage'
  | 'newSwitch'
  | 'newDivider'
  | 'newImage'
  | 'newTextButton'
  | 'newImageButton'
  | 'newButtonSet'
  | 'newTextInput'
  | 'newSelectionInput'
  | 'newDatePicker'
  | 'newDateTimePicker'
  | 'newTimePicker'
  | 'newAction'
  | 'newOpenLink'
  | 'newNotification'
  | 'newNavigation'
  | 'newActionResponseBuilder'
  | 'newUniversalActionResponseBuilder';

export type SimCardServiceGlobal = Pick<
  GoogleAppsScript.Card_Service.CardService,
  SimCardServiceKey
>;

export class SimCardService {
  private readonly run: CardRunner;

  /**
   * With a kernel, each build() is one counted `card.*` call (no latency, but it fails once the
   * execution passed its time limit, as the runtime is gone); without one, builders run plainly.
   */
  constructor(kernel?: SimKernel) {
    this.run = kernel ? (key, op) => kernel.invoke(key, op) : directRun;
  }

  /** The `CardService` global for a vm context or a direct test. */
  global(): SimCardServiceGlobal {
    const run = this.run;
    const service: Record<SimCardServiceKey, unknown> = {
      ...CARD_ENUMS,
      newCardBuilder: () => new SimCardBuilder(run),
      newCardHeader: () => new SimCardHeader(),
      newCardSection: () => new SimCardSection(),
      newCardAction: () => new SimCardAction(),
      newFixedFooter: () => new SimFixedFooter(),
      newTextParagraph: () => new SimTextParagraph(),
      newDecoratedText: () => new SimDecoratedText(),
      newIconImage: () => new SimIconImage(),
      newSwitch: () => new SimSwitch(),
      newDivider: () => new SimDivider(),
      newImage: () => new SimImage(),
      newTextButton: () => new SimTextButton(),
      newImageButton: () => new SimImageButton(),
      newButtonSet: () => new SimButtonSet(),
      newTextInput: () => new SimTextInput(),
      newSelectionInput: () => new SimSelectionInput(),
      newDatePicker: () => new SimDatePicker(),
      newDateTimePicker: () => new SimDateTimePicker(),
      newTimePicker: () => new SimTimePicker(),
      newAction: () => new SimAction(),
      newOpenLink: () => new SimOpenLink(),
      newNotification: () => new SimNotification(),
      newNavigation: () => new SimNavigation(),
      newActionResponseBuilder: () => new SimActionResponseBuilder(run),
      newUniversalActionResponseBuilder: () => new SimUniversalActionResponseBuilder(run),
    };
    return Object.freeze(service) as unknown as SimCardServiceGlobal;
  }
}
