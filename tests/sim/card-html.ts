// Renders simulated cards as a standalone HTML page that looks like the Workspace add-on
// sidebar, so a headless browser screenshot shows what a teacher would see. Every string is
// escaped except the documented HTML subset of text widgets, which is re-emitted canonically.

import { cardsOf } from './card-driver';
import { escapeHtml, escapeKeepingEntities, tokenizeMarkup } from './services/card-markup';
import type {
  ButtonNode,
  CardHeaderNode,
  CardNode,
  DecoratedTextNode,
  IconNode,
  SectionNode,
  SelectionInputNode,
  TextButtonNode,
  WidgetNode,
} from './services/card-tree';

export interface RenderOptions {
  /** Page title and the add-on name in the sidebar's top bar. */
  title?: string;
  /** A notification toast; defaults to the notification of an ActionResponse passed in. */
  notification?: string;
}

const SAFE_SRC = /^(https?:\/\/|data:image\/)/i;

/** Card text in a text widget: the allowed subset kept, everything else shown as text. */
function markup(text: string): string {
  return tokenizeMarkup(text)
    .map((t) => {
      if (t.type === 'text') return escapeKeepingEntities(t.raw);
      if (t.type === 'bad') return escapeHtml(t.raw);
      if (t.closing) return `</${t.name}>`;
      if (t.name === 'br') return '<br>';
      if (t.name === 'font') return `<font color="${escapeHtml(t.attr?.value ?? '')}">`;
      if (t.name === 'a') {
        return `<a href="${escapeHtml(t.attr?.value ?? '')}" target="_blank" rel="noopener noreferrer">`;
      }
      return `<${t.name}>`;
    })
    .join('');
}

const plain = (text: string | undefined): string => escapeHtml(text ?? '');

function icon(node: IconNode | undefined): string {
  if (!node) return '';
  if (node.iconUrl && SAFE_SRC.test(node.iconUrl)) {
    return `<img class="icon" src="${plain(node.iconUrl)}" alt="${plain(node.altText)}">`;
  }
  return `<span class="icon glyph" title="${plain(node.icon ?? node.altText)}">●</span>`;
}

function button(node: ButtonNode): string {
  if (node.kind === 'imageButton') {
    return `<button class="btn icon-btn" title="${plain(node.altText)}" aria-label="${plain(node.altText)}">${icon(node)}</button>`;
  }
  return textButton(node);
}

function textButton(node: TextButtonNode): string {
  const style = (node.style ?? 'TEXT').toLowerCase().replace('_', '-');
  const bg =
    node.backgroundColor && /^#[0-9a-f]{3,8}$/i.test(node.backgroundColor)
      ? ` style="background:${node.backgroundColor};border-color:${node.backgroundColor};color:#fff"`
      : '';
  const disabled = node.disabled ? ' disabled' : '';
  const label = node.text ? plain(node.text) : plain(node.altText);
  const alt = node.altText ? ` aria-label="${plain(node.altText)}"` : '';
  return `<button class="btn ${style}"${bg}${alt}${disabled}>${label}</button>`;
}

function decorated(node: DecoratedTextNode): string {
  const wrap = node.wrapText ? '' : ' nowrap';
  const end = node.button
    ? `<div class="end">${button(node.button)}</div>`
    : node.switchControl
      ? `<div class="end"><label class="switch"><input type="checkbox" name="${plain(node.switchControl.fieldName)}"${
          node.switchControl.selected ? ' checked' : ''
        }><span class="track"></span></label></div>`
      : '';
  return `<div class="decorated${node.onClick ? ' clickable' : ''}">${icon(node.startIcon)}<div class="body">${
    node.topLabel ? `<div class="label">${markup(node.topLabel)}</div>` : ''
  }<div class="text${wrap}">${markup(node.text)}</div>${
    node.bottomLabel ? `<div class="label">${markup(node.bottomLabel)}</div>` : ''
  }</div>${end}</div>`;
}

function selection(node: SelectionInputNode): string {
  const title = node.title ? `<div class="field-title">${plain(node.title)}</div>` : '';
  if (node.type === 'DROPDOWN' || node.type === 'MULTI_SELECT') {
    const options = node.items
      .map(
        (i) =>
          `<option value="${plain(i.value)}"${i.selected ? ' selected' : ''}>${plain(i.text)}</option>`,
      )
      .join('');
    const multiple = node.type === 'MULTI_SELECT' ? ' multiple' : '';
    return `<div class="field">${title}<select name="${plain(node.fieldName)}"${multiple}>${options}</select></div>`;
  }
  const type = node.type === 'RADIO_BUTTON' ? 'radio' : 'checkbox';
  const cls = node.type === 'SWITCH' ? ' class="as-switch"' : '';
  const items = node.items
    .map(
      (i) =>
        `<label class="choice"><input type="${type}"${cls} name="${plain(node.fieldName)}" value="${plain(i.value)}"${
          i.selected ? ' checked' : ''
        }> ${plain(i.text)}</label>`,
    )
    .join('');
  return `<div class="field">${title}${items}</div>`;
}

function dateText(ms: number | undefined, withTime: boolean, offsetMins = 0): string {
  if (ms === undefined) return '';
  const iso = new Date(ms + offsetMins * 60_000).toISOString();
  return withTime ? iso.slice(0, 16) : iso.slice(0, 10);
}

function widget(node: WidgetNode): string {
  switch (node.kind) {
    case 'textParagraph':
      return `<div class="paragraph">${markup(node.text)}</div>`;
    case 'decoratedText':
      return decorated(node);
    case 'buttonSet':
      return `<div class="button-set">${node.buttons.map(button).join('')}</div>`;
    case 'textButton':
    case 'imageButton':
      return `<div class="button-set">${button(node)}</div>`;
    case 'divider':
      return '<hr class="divider">';
    case 'image':
      return SAFE_SRC.test(node.imageUrl)
        ? `<img class="image" src="${plain(node.imageUrl)}" alt="${plain(node.altText)}">`
        : `<div class="image missing">${plain(node.altText)}</div>`;
    case 'textInput': {
      const control = node.multiline
        ? `<textarea name="${plain(node.fieldName)}" rows="3">${plain(node.value)}</textarea>`
        : `<input type="text" name="${plain(node.fieldName)}" value="${plain(node.value)}">`;
      const hint = node.hint ? `<div class="hint">${plain(node.hint)}</div>` : '';
      return `<div class="field outlined"><label class="float">${plain(node.title)}</label>${control}${hint}</div>`;
    }
    case 'selectionInput':
      return selection(node);
    case 'datePicker':
      return `<div class="field outlined"><label class="float">${plain(node.title)}</label><input type="date" name="${plain(
        node.fieldName,
      )}" value="${dateText(node.valueMsEpoch, false)}"></div>`;
    case 'dateTimePicker':
      return `<div class="field outlined"><label class="float">${plain(node.title)}</label><input type="datetime-local" name="${plain(
        node.fieldName,
      )}" value="${dateText(node.valueMsEpoch, true, node.timeZoneOffsetMins)}"></div>`;
    case 'timePicker': {
      const pad = (n: number | undefined) => String(n ?? 0).padStart(2, '0');
      const value = node.hours === undefined ? '' : `${pad(node.hours)}:${pad(node.minutes)}`;
      return `<div class="field outlined"><label class="float">${plain(node.title)}</label><input type="time" name="${plain(
        node.fieldName,
      )}" value="${value}"></div>`;
    }
  }
}

function section(node: SectionNode): string {
  const shown =
    node.collapsible && node.numUncollapsibleWidgets !== undefined
      ? node.widgets.slice(0, node.numUncollapsibleWidgets)
      : node.widgets;
  const more = shown.length < node.widgets.length ? '<div class="more">Show more ⌄</div>' : '';
  const header = node.header ? `<div class="section-header">${plain(node.header)}</div>` : '';
  return `<section class="section">${header}${shown.map(widget).join('')}${more}</section>`;
}

function header(node: CardHeaderNode | undefined): string {
  if (!node) return '';
  const image =
    node.imageUrl && SAFE_SRC.test(node.imageUrl)
      ? `<img class="header-image${node.imageStyle === 'CIRCLE' ? ' circle' : ''}" src="${plain(node.imageUrl)}" alt="${plain(
          node.imageAltText,
        )}">`
      : '';
  const subtitle = node.subtitle ? `<div class="subtitle">${plain(node.subtitle)}</div>` : '';
  return `<header class="card-header">${image}<div><div class="title">${plain(node.title)}</div>${subtitle}</div></header>`;
}

function card(node: CardNode, addOnName: string, toast: string | undefined): string {
  const footer = node.fixedFooter
    ? `<footer class="fixed-footer">${node.fixedFooter.secondaryButton ? textButton(node.fixedFooter.secondaryButton) : ''}${textButton(
        node.fixedFooter.primaryButton,
      )}</footer>`
    : '';
  const menu = node.cardActions.length ? '<span class="menu" title="More">⋮</span>' : '';
  const note = toast ? `<div class="toast" role="status">${plain(toast)}</div>` : '';
  return `<div class="sidebar"><div class="topbar"><span class="addon-name">${plain(addOnName)}</span>${menu}<span class="close">✕</span></div><div class="scroll">${header(
    node.header,
  )}${node.sections.map(section).join('')}</div>${footer}${note}</div>`;
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;padding:16px;background:#f0f4f9;font-family:"Google Sans","Google Sans Text",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f1f1f;font-size:14px;line-height:20px}
.stack{display:flex;gap:16px;align-items:flex-start}
.sidebar{position:relative;width:320px;min-height:560px;background:#fff;border:1px solid #dadce0;border-radius:12px;display:flex;flex-direction:column;overflow:hidden}
.topbar{display:flex;align-items:center;gap:8px;height:48px;padding:0 16px;border-bottom:1px solid #e3e3e3;font-size:16px;font-weight:500}
.addon-name{flex:1;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.close,.menu{color:#444746;font-size:16px}
.scroll{flex:1;overflow:auto;padding-bottom:8px}
.card-header{display:flex;gap:12px;align-items:center;padding:16px 16px 8px}
.header-image{width:40px;height:40px;object-fit:cover;border-radius:4px}.header-image.circle{border-radius:50%}
.title{font-size:16px;line-height:24px;font-weight:500}
.subtitle{font-size:14px;color:#444746}
.section{padding:8px 16px 12px;border-bottom:1px solid #e3e3e3}
.section:last-child{border-bottom:none}
.section-header{font-size:14px;font-weight:500;color:#444746;margin:4px 0 8px}
.paragraph{margin:6px 0;white-space:normal;overflow-wrap:anywhere}
.paragraph a,.decorated a{color:#0b57d0}
.decorated{display:flex;align-items:center;gap:12px;margin:6px 0}
.decorated.clickable{cursor:pointer}
.decorated .body{flex:1;min-width:0}
.decorated .label{font-size:12px;line-height:16px;color:#444746}
.decorated .text.nowrap{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.icon{width:20px;height:20px;flex:none;color:#444746}.glyph{font-size:12px;text-align:center}
.button-set{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.btn{font-family:inherit;font-size:14px;font-weight:500;height:36px;padding:0 16px;border-radius:18px;border:1px solid transparent;background:transparent;color:#0b57d0;cursor:pointer}
.btn.filled{background:#0b57d0;color:#fff}
.btn.filled-tonal{background:#c2e7ff;color:#001d35}
.btn.outlined{border-color:#747775}
.btn.text,.btn.borderless{padding:0 12px}
.btn.icon-btn{width:36px;padding:0}
.btn:disabled{opacity:.38;cursor:default}
.divider{border:none;border-top:1px solid #e3e3e3;margin:8px 0}
.image{max-width:100%;border-radius:8px;margin:6px 0}.image.missing{padding:24px;background:#f0f4f9;color:#444746;text-align:center}
.field{margin:12px 0}
.field-title{font-size:12px;color:#444746;margin-bottom:4px}
.field.outlined{position:relative}
.field.outlined .float{position:absolute;top:-8px;left:10px;padding:0 4px;background:#fff;font-size:12px;line-height:16px;color:#444746}
.field input[type=text],.field input[type=date],.field input[type=datetime-local],.field input[type=time],.field textarea,.field select{width:100%;font:inherit;padding:10px 12px;border:1px solid #747775;border-radius:4px;background:#fff;color:#1f1f1f}
.hint{font-size:12px;color:#444746;margin:4px 12px 0}
.choice{display:flex;align-items:center;gap:8px;margin:4px 0}
.switch{position:relative;display:inline-block;width:36px;height:20px}.switch input{opacity:0;width:0;height:0}
.track{position:absolute;inset:0;background:#e1e3e1;border:2px solid #747775;border-radius:10px}
.switch input:checked+.track{background:#0b57d0;border-color:#0b57d0}
.track::after{content:"";position:absolute;top:2px;left:2px;width:12px;height:12px;border-radius:50%;background:#747775}
.switch input:checked+.track::after{left:18px;width:14px;height:14px;top:1px;background:#fff}
.more{color:#0b57d0;font-weight:500;margin-top:4px}
.fixed-footer{display:flex;justify-content:flex-end;gap:8px;padding:12px 16px;border-top:1px solid #e3e3e3;background:#fff}
.toast{position:absolute;left:12px;right:12px;bottom:72px;background:#313033;color:#f2f0f4;padding:12px 16px;border-radius:4px;box-shadow:0 2px 6px rgba(0,0,0,.3)}
`;

/** A standalone HTML page showing the cards side by side (a navigation stack reads left to right). */
export function renderCardHtml(cards: unknown, options: RenderOptions = {}): string {
  const list = cardsOf(cards);
  const fromResponse =
    (cards as { kind?: string; notification?: { text: string } } | null)?.kind === 'actionResponse'
      ? (cards as { notification?: { text: string } }).notification?.text
      : undefined;
  const toast = options.notification ?? fromResponse;
  const name = options.title ?? 'Add-on';
  const body = list
    .map((c, i) => card(c, name, i === list.length - 1 ? toast : undefined))
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${plain(name)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${CSS}</style></head>
<body><div class="stack">${body}</div></body></html>
`;
}
