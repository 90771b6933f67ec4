/**
 * @file Text helpers shared by the SVG and HTML writers: escaping (every string that reaches
 * the page goes through `escapeXml`, so names from a graph file cannot inject markup) and
 * width estimates for the monospace font the pictures use.
 */

/** Escapes `& < > " '` and drops control characters, for text nodes and attribute values alike. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\p{Cc}]/gu, (c) => (c === '\n' || c === '\t' ? c : ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The font stack of every picture: monospace, so `textWidth` can measure without a browser. */
export const MONO_FONT = "'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace";

/** Advance width of one monospace character, as a fraction of the font size (0.6 em in DejaVu Sans Mono). */
const MONO_ADVANCE = 0.61;

/** The width in pixels of `text` set in MONO_FONT at `fontSize`. */
export const textWidth = (text: string, fontSize: number): number => [...text].length * fontSize * MONO_ADVANCE;

/** Cuts `text` to at most `max` characters, marking the cut with an ellipsis. */
export const clip = (text: string, max: number): string => ([...text].length <= max ? text : [...text].slice(0, max - 1).join('') + '…');

/** A coordinate with at most two decimals, so the SVG stays short and diffs stay stable. */
export const px = (v: number): string => String(Math.round(v * 100) / 100);
