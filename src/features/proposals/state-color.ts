/*
 * Colours of proposal states: a badge is the state's colour as background with black or white
 * text, whichever contrasts more (WCAG 2 relative luminance); the states page shows the ratio so
 * admins pick colours that stay readable (4.5:1 at least).
 */

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

export function luminance(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return 0;
  const [r, g, b] = [m[1], m[2], m[3]].map((x) => parseInt(x ?? '0', 16));
  return 0.2126 * channel(r ?? 0) + 0.7152 * channel(g ?? 0) + 0.0722 * channel(b ?? 0);
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The text colour for a badge of this background, and the contrast it gets. */
export function badgeText(background: string): { color: '#000000' | '#ffffff'; ratio: number } {
  const white = contrastRatio(background, '#ffffff');
  const black = contrastRatio(background, '#000000');
  return white >= black ? { color: '#ffffff', ratio: white } : { color: '#000000', ratio: black };
}

export const MIN_CONTRAST = 4.5;

/** The colour of a state without a valid one of its own (the grey of the stylesheets' fallbacks). */
export const DEFAULT_STATE_COLOR = '#53575a';
