// What a card action's event object holds, read the same way by every action: its parameters
// (which lesson, which action) and the form's inputs, both under `commonEventObject`. The
// top-level `parameters` Google lists as deprecated (from Gmail add-ons) is read as a fallback.
// doc: https://developers.google.com/workspace/add-ons/concepts/event-objects

type Event = GoogleAppsScript.Addons.EventObject;

export function param(e: Event | undefined, name: string): string {
  return (
    e?.commonEventObject?.parameters?.[name] ??
    (e as { parameters?: Record<string, string> } | undefined)?.parameters?.[name] ??
    ''
  );
}

export function input(e: Event | undefined, name: string): string {
  const field = e?.commonEventObject?.formInputs?.[name] as
    | { stringInputs?: { value?: string[] } }
    | undefined;
  return field?.stringInputs?.value?.[0] ?? '';
}

export function dateTimeInput(e: Event | undefined, name: string): number {
  const field = e?.commonEventObject?.formInputs?.[name] as
    | { dateTimeInput?: { msSinceEpoch?: number | string } }
    | undefined;
  const ms = Number(field?.dateTimeInput?.msSinceEpoch);
  return Number.isFinite(ms) && ms > 0 ? ms : Number.NaN;
}

/** Every value a multi-select input holds (checkboxes). */
export function inputValues(e: Event | undefined, name: string): string[] {
  const field = e?.commonEventObject?.formInputs?.[name] as
    | { stringInputs?: { value?: string[] } }
    | undefined;
  return field?.stringInputs?.value ?? [];
}
