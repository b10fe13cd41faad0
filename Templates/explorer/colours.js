// The report's colour maps and scale limit (Sources/Graphics/Colormap.swift), for the explorer's
// pictures. The page inlines this script (it then defines globalThis.ReportColours); ExplorerTests
// load it under Node and compare it with Colormap at many points.
'use strict';
(function (root, factory) {
  const api = factory();
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.ReportColours = api;
}(typeof globalThis !== 'undefined' ? globalThis : this, () => {

/** Viridis sampled at eleven evenly spaced points; ColorBrewer RdBu's ends and its white. */
const VIRIDIS = [0x440154, 0x482475, 0x414487, 0x355f8d, 0x2a788e, 0x21918c, 0x22a884, 0x44bf70, 0x7ad151, 0xbddf26, 0xfde725];
const [WHITE, RED, BLUE] = [0xf7f7f7, 0xb2182b, 0x2166ac];
const rgb = (c) => [c >> 16 & 255, c >> 8 & 255, c & 255];
/** a + (b − a) · t per channel, as Color.mixed, rounded to a byte. */
const mix = (a, b, t) => { const [p, q] = [rgb(a), rgb(b)]; return p.map((v, k) => Math.round(v + (q[k] - v) * t)); };
const hex = (c) => '#' + c.toString(16).padStart(6, '0');

/** Each map as SHADES shades from its low end to its high end, and where a value lies on it
 *  (0 to 1) given the scale's limit. */
const SHADES = 511;
const shades = (colourAt) => Array.from({ length: SHADES }, (_, k) => colourAt(k / (SHADES - 1)));
const COLOURS = {
  /** Ink on paper: 0 white, the limit black. */
  ink: { shades: shades((t) => [255 * (1 - t), 255 * (1 - t), 255 * (1 - t)].map(Math.round)), at: (v, limit) => v / limit },
  /** Viridis from 0 to the limit. */
  viridis: {
    shades: shades((t) => { const i = Math.min(Math.floor(10 * t), 9); return mix(VIRIDIS[i], VIRIDIS[i + 1], 10 * t - i); }),
    at: (v, limit) => v / limit,
  },
  /** Blue below 0, white at 0, red above, saturating at ±limit. */
  diverging: { shades: shades((t) => (t >= 0.5 ? mix(WHITE, RED, 2 * t - 1) : mix(WHITE, BLUE, 1 - 2 * t))), at: (v, limit) => (v / limit + 1) / 2 },
};
const GREY = [128, 128, 128];   // a value that is not a number has no place on any scale

/** The colour of `value` on `colour` (a COLOURS entry) with limit `limit`: its nearest shade. */
function colourOf(colour, value, limit) {
  const t = colour.at(value, limit);
  return Number.isFinite(t) ? colour.shades[Math.round(Math.min(Math.max(t, 0), 1) * (SHADES - 1))] : GREY;
}

/** The limit of a projection's scale: the 99th percentile of its non-zero magnitudes (1 if none),
 *  as the report's figures use (Colormap.percentileLimit), so that a few extreme pixels cannot
 *  wash the picture out. */
function percentileLimit(values) {
  const magnitudes = Float32Array.from(Array.from(values, Math.abs).filter((m) => m > 0)).sort();
  return magnitudes.length ? magnitudes[Math.min(magnitudes.length - 1, Math.floor(0.99 * magnitudes.length))] : 1;
}

return { VIRIDIS, WHITE, RED, BLUE, SHADES, COLOURS, GREY, hex, colourOf, percentileLimit };
}));
