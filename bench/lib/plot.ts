// Line plots as SVG text (no dependency): one panel per figure, one line per variant, each point the
// median of its repetitions with a bar from min to max. The x axis is logarithmic (concurrency 1 to 500)
// unless a panel asks for a linear one (a curve sampled over time, from 0), which can carry vertical
// reference lines (e.g. the worker's cache size in runs).
import type { Summary } from './stats.js';

export interface PlotSeries {
  name: string;
  color: string;
  points: Array<{ x: number; y: Summary }>;
  /** Draw a dot (with its tooltip) at each point; default true. Off for curves of many samples. */
  dots?: boolean;
}

export interface PlotPanel {
  title: string;
  xLabel: string;
  yLabel: string;
  series: PlotSeries[];
  /** `log` (default): ticks at the points' own x values. `linear`: from 0, round ticks. */
  xScale?: 'log' | 'linear';
  /** Vertical dashed lines at these x values (linear panels), labelled at the top of the plot. */
  markers?: Array<{ x: number; label: string }>;
}

const PANEL = { width: 460, height: 330, left: 72, right: 16, top: 52, bottom: 56 };
/** A generous average width of a character of the 12 px sans-serif text (measured 5.0–5.5 px in Chromium). */
const LEGEND_CHAR_WIDTH = 6.2;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Round tick steps (1, 2, 5 × 10^n) giving about `count` ticks from 0 to at least `max`. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = 0; t < max + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  if (ticks[ticks.length - 1] < max) ticks.push(Number((ticks[ticks.length - 1] + step).toPrecision(12)));
  return ticks;
}

function label(value: number): string {
  return Math.abs(value) >= 100 ? String(Math.round(value)) : String(Number(value.toPrecision(3)));
}

function panelSvg(panel: PlotPanel, offsetX: number): string {
  const { width, height, left, right, top, bottom } = PANEL;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const points = panel.series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.y.median));
  const xs = [...new Set(points.map((p) => p.x))].sort((a, b) => a - b);
  const yTicks = niceTicks(Math.max(0, ...points.map((p) => (Number.isFinite(p.y.max) ? p.y.max : p.y.median))));
  const yMax = yTicks[yTicks.length - 1];
  const linear = panel.xScale === 'linear';
  const markers = linear ? (panel.markers ?? []) : [];
  // A linear axis covers every point and every marker, from 0 to a round tick.
  const xTicks = linear ? niceTicks(Math.max(0, ...xs, ...markers.map((m) => m.x))) : xs;
  const xMax = xTicks[xTicks.length - 1];
  const logMin = Math.log10(xs[0] ?? 1);
  const logSpan = Math.max(Math.log10(xs[xs.length - 1] ?? 10) - logMin, 1e-9);
  const px = linear
    ? (x: number) => offsetX + left + (x / xMax) * plotW
    : (x: number) => offsetX + left + (xs.length > 1 ? ((Math.log10(x) - logMin) / logSpan) * plotW : plotW / 2);
  const py = (y: number) => top + plotH - (y / yMax) * plotH;
  const out: string[] = [];
  out.push(
    `<text x="${offsetX + width / 2}" y="18" text-anchor="middle" font-weight="bold">${escapeXml(panel.title)}</text>`,
  );
  for (const t of yTicks) {
    out.push(
      `<line x1="${offsetX + left}" x2="${offsetX + width - right}" y1="${py(t)}" y2="${py(t)}" stroke="#ddd"/>`,
      `<text x="${offsetX + left - 6}" y="${py(t) + 4}" text-anchor="end">${label(t)}</text>`,
    );
  }
  for (const x of xTicks) {
    out.push(
      `<line x1="${px(x)}" x2="${px(x)}" y1="${top}" y2="${top + plotH}" stroke="#eee"/>`,
      `<text x="${px(x)}" y="${top + plotH + 16}" text-anchor="middle">${label(x)}</text>`,
    );
  }
  out.push(
    `<rect x="${offsetX + left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`,
    `<text x="${offsetX + left + plotW / 2}" y="${height - 12}" text-anchor="middle">${escapeXml(panel.xLabel)}</text>`,
    `<text transform="translate(${offsetX + 16} ${top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(panel.yLabel)}</text>`,
  );
  for (const m of markers) {
    // The label on the side of the line with more room, so it stays inside the plot.
    const rightHalf = px(m.x) > offsetX + left + plotW / 2;
    out.push(
      `<line x1="${px(m.x)}" x2="${px(m.x)}" y1="${top}" y2="${top + plotH}" stroke="#555" stroke-dasharray="5,4"/>`,
      `<text x="${px(m.x) + (rightHalf ? -4 : 4)}" y="${top + 14}" text-anchor="${rightHalf ? 'end' : 'start'}" fill="#555">${escapeXml(m.label)}</text>`,
    );
  }
  // The legend sits above the plot, one entry after the other (each as wide as its name, estimated), so it
  // never hides a point and longer names do not run into the next entry.
  let legendX = offsetX + left;
  for (const series of panel.series) {
    out.push(
      `<line x1="${legendX}" x2="${legendX + 18}" y1="32" y2="32" stroke="${series.color}" stroke-width="2"/>`,
      `<text x="${legendX + 22}" y="36">${escapeXml(series.name)}</text>`,
    );
    legendX += 22 + series.name.length * LEGEND_CHAR_WIDTH + 14;
  }
  for (const series of panel.series) {
    const pts = series.points.filter((p) => Number.isFinite(p.y.median)).sort((a, b) => a.x - b.x);
    if (pts.length > 1) {
      const d = pts.map((p) => `${px(p.x).toFixed(1)},${py(p.y.median).toFixed(1)}`).join(' ');
      out.push(`<polyline points="${d}" fill="none" stroke="${series.color}" stroke-width="2"/>`);
    }
    for (const p of series.dots === false ? [] : pts) {
      if (Number.isFinite(p.y.min) && Number.isFinite(p.y.max) && p.y.max > p.y.min) {
        out.push(
          `<line x1="${px(p.x)}" x2="${px(p.x)}" y1="${py(p.y.min)}" y2="${py(p.y.max)}" stroke="${series.color}"/>`,
        );
      }
      out.push(
        `<circle cx="${px(p.x)}" cy="${py(p.y.median)}" r="3.5" fill="${series.color}"><title>${escapeXml(`${series.name}, ${p.x}: ${label(p.y.median)} [${label(p.y.min)}–${label(p.y.max)}] (n=${p.y.n})`)}</title></circle>`,
      );
    }
  }
  return out.join('\n');
}

/** Panels side by side in one SVG document, with a caption under them. */
export function plotSvg(panels: PlotPanel[], caption: string): string {
  const width = PANEL.width * panels.length;
  const height = PANEL.height + 24;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    ...panels.map((panel, i) => panelSvg(panel, i * PANEL.width)),
    `<text x="8" y="${height - 8}" font-size="11" fill="#555">${escapeXml(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
