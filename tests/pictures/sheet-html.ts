// Renders a simulated sheet's values (and its recorded chart specs) as a standalone HTML page
// that looks like a spreadsheet, so a headless browser screenshot shows what SLT see. Every
// value is escaped; dates show as Sheets shows them (yyyy-mm-dd).

import type { SimWorkspace } from '../sim/workspace';

const escapeText = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function show(value: unknown): string {
  if (Object.prototype.toString.call(value) === '[object Date]') {
    const iso = (value as Date).toISOString();
    return iso.slice(11, 16) === '00:00'
      ? iso.slice(0, 10)
      : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
  }
  return String(value ?? '');
}

const CSS = `
body{margin:0;font-family:Roboto,Arial,sans-serif;font-size:13px;background:#fff;color:#1f1f1f}
.bar{height:36px;display:flex;align-items:center;padding:0 12px;background:#f9fbfd;border-bottom:1px solid #dadce0;font-size:15px}
.bar b{color:#188038;margin-right:8px}
.wrap{display:flex;gap:16px;align-items:flex-start;padding:0 0 12px}
table{border-collapse:collapse;table-layout:fixed}
th.col,td.row{background:#f8f9fa;color:#5f6368;font-weight:400;text-align:center;border:1px solid #e0e0e0;font-size:11px}
td{border:1px solid #e2e3e3;padding:2px 6px;height:20px;max-width:260px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;vertical-align:top}
td.bold{font-weight:700}
td.num{text-align:right}
.chart{border:1px solid #dadce0;border-radius:4px;padding:12px;margin-top:12px;background:#fff}
.chart h3{margin:0 0 8px;font-size:14px;font-weight:500}
.tabs{position:fixed;bottom:0;left:0;right:0;height:32px;background:#f1f3f4;border-top:1px solid #dadce0;display:flex;gap:2px;padding-left:40px}
.tab{padding:6px 14px;color:#444}.tab.on{background:#fff;color:#188038;font-weight:500;border-bottom:3px solid #188038}
`;

const COLOURS = ['#4285f4', '#ea4335', '#fbbc04', '#34a853'];

/** A column chart of the range a recorded chart spec draws (header row = series names). */
function chartSvg(rows: unknown[][], title: string): string {
  const [header, ...data] = rows;
  if (!header || data.length === 0) return '';
  const series = header.slice(1).map(show);
  const max = Math.max(1, ...data.flatMap((r) => r.slice(1).map((v) => Number(v) || 0)));
  const w = 420;
  const h = 220;
  const group = (w - 40) / data.length;
  const bar = Math.min(28, (group - 12) / series.length);
  const bars = data
    .map(
      (r, i) =>
        r
          .slice(1)
          .map((v, j) => {
            const height = ((Number(v) || 0) / max) * (h - 50);
            const x = 30 + i * group + 6 + j * bar;
            return `<rect x="${x}" y="${h - 30 - height}" width="${bar - 2}" height="${height}" fill="${COLOURS[j % COLOURS.length]}"/>`;
          })
          .join('') +
        `<text x="${30 + i * group + group / 2}" y="${h - 14}" font-size="10" text-anchor="middle">${escapeText(show(r[0]))}</text>`,
    )
    .join('');
  const legend = series
    .map(
      (s, j) =>
        `<rect x="${30 + j * 130}" y="${h - 6}" width="10" height="10" fill="${COLOURS[j % COLOURS.length]}"/><text x="${44 + j * 130}" y="${h + 3}" font-size="10">${escapeText(s)}</text>`,
    )
    .join('');
  return `<div class="chart"><h3>${escapeText(title)}</h3><svg width="${w}" height="${h + 10}"><line x1="28" y1="${h - 30}" x2="${w}" y2="${h - 30}" stroke="#999"/><text x="4" y="24" font-size="10">${max}</text>${bars}${legend}</svg></div>`;
}

export function renderSheetHtml(
  ws: SimWorkspace,
  spreadsheetId: string,
  sheetName: string,
): string {
  const rows = ws.sheets.table(spreadsheetId, sheetName);
  const width = Math.max(0, ...rows.map((r) => r.length));
  const letters = Array.from({ length: width }, (_, i) => String.fromCharCode(65 + i));
  const body = rows
    .map((row, r) => {
      // Text overflows into empty cells to its right, as in Sheets.
      if (width > 1 && row.slice(1).every((v) => show(v) === '') && show(row[0]) !== '') {
        const bold = ws.sheets.cell(spreadsheetId, sheetName, `A${r + 1}`)?.fontWeight;
        return `<tr><td class="row">${r + 1}</td><td colspan="${width}" class="${bold === 'bold' ? 'bold' : ''}">${escapeText(show(row[0]))}</td></tr>`;
      }
      const cells = letters
        .map((letter, c) => {
          const value = row[c];
          const bold = ws.sheets.cell(spreadsheetId, sheetName, `${letter}${r + 1}`)?.fontWeight;
          const cls = [bold === 'bold' ? 'bold' : '', typeof value === 'number' ? 'num' : '']
            .filter(Boolean)
            .join(' ');
          return `<td class="${cls}">${escapeText(show(value))}</td>`;
        })
        .join('');
      return `<tr><td class="row">${r + 1}</td>${cells}</tr>`;
    })
    .join('\n');
  const charts = ws.sheets.charts(spreadsheetId, sheetName).map((chart) => {
    const range = chart.ranges[0] ?? '';
    const m = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(range);
    if (!m) return '';
    const from = Number(m[2]);
    const to = Number(m[4]);
    const cols = m[3]!.charCodeAt(0) - 64;
    return chartSvg(
      rows.slice(from - 1, to).map((r) => r.slice(0, cols)),
      String(chart.options.title ?? ''),
    );
  });
  const tabs = ws.sheets
    .sheetNames(spreadsheetId)
    .map((n) => `<span class="tab${n === sheetName ? ' on' : ''}">${escapeText(n)}</span>`)
    .join('');
  const widths = [190, 110, 200, 190, 150, 150];
  const colgroup = `<colgroup><col style="width:36px">${letters.map((_, i) => `<col style="width:${widths[i] ?? 120}px">`).join('')}</colgroup>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeText(sheetName)}</title><style>${CSS}</style></head>
<body><div class="bar"><b>▦</b>Safe Live Lessons: safeguarding log</div>
<div class="wrap"><table style="width:${36 + letters.reduce((n, _, i) => n + (widths[i] ?? 120), 0)}px">${colgroup}<tr><th class="col"></th>${letters.map((l) => `<th class="col">${l}</th>`).join('')}</tr>
${body}</table>${charts.join('')}</div><div class="tabs">${tabs}</div></body></html>`;
}
