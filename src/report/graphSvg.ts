/**
 * @file renderGraphSvg: draws a laid-out graph as standalone SVG markup. Colours are
 * attributes, not CSS, so the SVG keeps its looks when copied out of the report. Classes
 * (`fg-box`, `fg-edge`, `fg-group`) and `data-*` attributes are the hooks tests query.
 */
import type { BoxLayout, EdgeLayout, GraphLayout, GroupLayout, Point } from './graphLayout.js';
import { DETAIL_FONT, LABEL_FONT, TITLE_FONT } from './graphLayout.js';
import { KIND_STYLES } from './opKind.js';
import { MONO_FONT, escapeXml, px } from './svgText.js';

const EDGE_COLOUR = '#607d8b';
const GROUP_COLOUR = '#00897b';

/**
 * The SVG for `layout`. `idPrefix` keeps marker ids unique when several graphs share a page.
 * The SVG is drawn at its natural size (1 px per layout unit); the page scrolls around it.
 */
export function renderGraphSvg(layout: GraphLayout, title: string, idPrefix: string): string {
  const arrow = `${idPrefix}-arrow`;
  const w = Math.ceil(layout.width);
  const h = Math.ceil(layout.height);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="fg-graph" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${escapeXml(title)}" font-family="${escapeXml(MONO_FONT)}">`,
    `<title>${escapeXml(title)}</title>`,
    '<defs>',
    `<marker id="${arrow}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">`,
    `<path d="M0,1 L10,5 L0,9 z" fill="${EDGE_COLOUR}"/></marker>`,
    '</defs>',
    `<g class="fg-groups">${layout.groups.map(groupSvg).join('')}</g>`,
    `<g class="fg-edges">${layout.edges.map((e) => edgeSvg(e, arrow)).join('')}</g>`,
    `<g class="fg-boxes">${layout.boxes.map(boxSvg).join('')}</g>`,
    '</svg>',
  ].join('\n');
}

function groupSvg(g: GroupLayout): string {
  return (
    `<g class="fg-group" data-size="${g.size}">` +
    `<rect x="${px(g.x)}" y="${px(g.y)}" width="${px(g.width)}" height="${px(g.height)}" rx="8" fill="${GROUP_COLOUR}" fill-opacity="0.05" stroke="${GROUP_COLOUR}" stroke-width="1.5" stroke-dasharray="6 3"/>` +
    `<text x="${px(g.x + 8)}" y="${px(g.y + 14)}" font-size="${LABEL_FONT + 0.5}" fill="${GROUP_COLOUR}" stroke="#ffffff" stroke-width="3" paint-order="stroke">${escapeXml(g.label)}</text>` +
    '</g>'
  );
}

function edgeSvg(e: EdgeLayout, arrow: string): string {
  const label =
    e.label === undefined
      ? ''
      : // A white halo (stroke painted under the fill) keeps labels readable where they cross lines.
        `<text class="fg-edge-label" x="${px(e.label.x + 2)}" y="${px(e.label.y + e.label.height - 3)}" font-size="${LABEL_FONT}" fill="#37474f" stroke="#ffffff" stroke-width="3" paint-order="stroke">${escapeXml(e.label.text)}</text>`;
  return (
    `<g class="fg-edge"${e.control ? ' data-control="true"' : ''}>` +
    `<path d="${pathData(e.points)}" fill="none" stroke="${EDGE_COLOUR}" stroke-width="1.2"${e.control ? ' stroke-dasharray="4 3"' : ''} marker-end="url(#${arrow})"/>` +
    label +
    '</g>'
  );
}

/** Polyline through ELK's orthogonal route. */
const pathData = (points: readonly Point[]): string => points.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(p.x)},${px(p.y)}`).join(' ');

function boxSvg(b: BoxLayout): string {
  const style = KIND_STYLES[b.kind];
  const cx = b.x + b.width / 2;
  const rounded = b.kind === 'input' || b.kind === 'output' ? 14 : 4;
  const isOp = b.op !== undefined;
  const titleY = b.detail === '' ? b.y + b.height / 2 + TITLE_FONT * 0.35 : b.y + 16;
  return (
    `<g class="fg-box${isOp ? ' fg-op' : ` fg-${b.kind}`}" data-kind="${b.kind}"${isOp ? ` data-op="${escapeXml(b.op!)}"` : ''}>` +
    `<title>${escapeXml(b.tooltip)}</title>` +
    `<rect x="${px(b.x)}" y="${px(b.y)}" width="${px(b.width)}" height="${px(b.height)}" rx="${rounded}" fill="${style.fill}" stroke="${style.stroke}" stroke-width="1.3"/>` +
    `<text x="${px(cx)}" y="${px(titleY)}" text-anchor="middle" font-size="${TITLE_FONT}" font-weight="bold" fill="#212121">${escapeXml(b.title)}</text>` +
    (b.detail === '' ? '' : `<text x="${px(cx)}" y="${px(b.y + 31)}" text-anchor="middle" font-size="${DETAIL_FONT}" fill="#424242">${escapeXml(b.detail)}</text>`) +
    '</g>'
  );
}
