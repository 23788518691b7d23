// Line plots as SVG text (no dependency): one panel per figure, one line per variant, each point the
// median of its repetitions with a bar from min to max. The x axis is logarithmic (concurrency 1 to 500).
import type { Summary } from './stats.js';

export interface PlotSeries {
  name: string;
  color: string;
  points: Array<{ x: number; y: Summary }>;
}

export interface PlotPanel {
  title: string;
  xLabel: string;
  yLabel: string;
  series: PlotSeries[];
}

const PANEL = { width: 460, height: 330, left: 72, right: 16, top: 52, bottom: 56 };

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
  const logMin = Math.log10(xs[0] ?? 1);
  const logSpan = Math.max(Math.log10(xs[xs.length - 1] ?? 10) - logMin, 1e-9);
  const px = (x: number) => offsetX + left + (xs.length > 1 ? ((Math.log10(x) - logMin) / logSpan) * plotW : plotW / 2);
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
  for (const x of xs) {
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
  panel.series.forEach((series, i) => {
    const pts = series.points.filter((p) => Number.isFinite(p.y.median)).sort((a, b) => a.x - b.x);
    if (pts.length > 1) {
      const d = pts.map((p) => `${px(p.x).toFixed(1)},${py(p.y.median).toFixed(1)}`).join(' ');
      out.push(`<polyline points="${d}" fill="none" stroke="${series.color}" stroke-width="2"/>`);
    }
    for (const p of pts) {
      if (Number.isFinite(p.y.min) && Number.isFinite(p.y.max) && p.y.max > p.y.min) {
        out.push(
          `<line x1="${px(p.x)}" x2="${px(p.x)}" y1="${py(p.y.min)}" y2="${py(p.y.max)}" stroke="${series.color}"/>`,
        );
      }
      out.push(
        `<circle cx="${px(p.x)}" cy="${py(p.y.median)}" r="3.5" fill="${series.color}"><title>${escapeXml(`${series.name}, ${p.x}: ${label(p.y.median)} [${label(p.y.min)}–${label(p.y.max)}] (n=${p.y.n})`)}</title></circle>`,
      );
    }
    // The legend sits above the plot, one entry beside the other, so it never hides a point.
    const lx = offsetX + left + i * 130;
    out.push(
      `<line x1="${lx}" x2="${lx + 18}" y1="32" y2="32" stroke="${series.color}" stroke-width="2"/>`,
      `<text x="${lx + 22}" y="36">${escapeXml(series.name)}</text>`,
    );
  });
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
