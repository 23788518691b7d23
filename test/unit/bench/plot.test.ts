// The bench's SVG plot (bench/lib/plot.ts): each variant a line through its medians at the right places,
// with its min–max bar, on a log x axis and a y axis that starts at zero and covers every max; or a
// sampled curve on a linear x axis from 0, with a dashed reference line (scenario 4's cache size).
import { describe, expect, it } from 'vitest';
import { niceTicks, plotSvg } from '../../../bench/lib/plot.js';

const s = (median: number, min = median, max = median) => ({ median, min, max, n: 2 });

describe('bench plot', () => {
  it('ticks are round steps from 0 to at least the maximum', () => {
    expect(niceTicks(7.3)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(830)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });

  it('draws one line per series through its medians, bars from min to max, a log x axis', () => {
    const svg = plotSvg(
      [
        {
          title: 'Throughput',
          xLabel: 'concurrent',
          yLabel: 'rotations/s',
          series: [
            {
              name: 'interpreter',
              color: '#d62728',
              points: [
                { x: 1, y: s(1, 0.5, 2) },
                { x: 10, y: s(2) },
                { x: 100, y: s(4) },
              ],
            },
            {
              name: 'hand-written <baseline>',
              color: '#1f77b4',
              points: [
                { x: 1, y: s(2) },
                { x: 100, y: s(8) },
              ],
            },
          ],
        },
      ],
      'caption',
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('hand-written &lt;baseline&gt;');
    const lines = [...svg.matchAll(/<polyline points="([^"]+)" fill="none" stroke="(#[0-9a-f]+)"/g)];
    expect(lines.map((m) => m[2])).toEqual(['#d62728', '#1f77b4']);
    const points = lines[0][1].split(' ').map((p) => p.split(',').map(Number));
    // Log x: 1, 10, 100 are equally spaced; higher values are drawn higher (smaller y).
    expect(points[1][0] - points[0][0]).toBeCloseTo(points[2][0] - points[1][0], 0);
    expect(points[0][1]).toBeGreaterThan(points[1][1]);
    expect(points[1][1]).toBeGreaterThan(points[2][1]);
    // The y axis reaches the largest max (8) and the one point with a spread has its bar.
    expect(svg).toMatch(/>8<\/text>/);
    expect(svg).toContain('interpreter, 1: 1 [0.5–2] (n=2)');
  });

  it('lays the legend out one entry after the other, each past the previous name, so long names do not collide', () => {
    const names = ['interpreter', 'interpreter without lock', 'hand-written'];
    const svg = plotSvg(
      [
        {
          title: 'Throughput',
          xLabel: 'concurrent',
          yLabel: 'rotations/s',
          series: names.map((name, i) => ({ name, color: `#00000${i}`, points: [{ x: 1, y: s(1) }] })),
        },
      ],
      'caption',
    );
    const entries = [...svg.matchAll(/<text x="([\d.]+)" y="36">([^<]+)<\/text>/g)].map((m) => ({
      x: Number(m[1]),
      name: m[2],
    }));
    expect(entries.map((e) => e.name)).toEqual(names);
    for (let i = 1; i < entries.length; i++) {
      // At least 5.5 px per character (Chromium draws this 12 px text at 5.0–5.5) and a gap for the next swatch.
      expect(entries[i].x - entries[i - 1].x).toBeGreaterThan(entries[i - 1].name.length * 5.5 + 22);
    }
    // The last entry still starts inside the panel (460 wide).
    expect(entries[2].x + names[2].length * 5.5).toBeLessThan(460);
  });

  it('a linear x axis runs from 0 to a round tick past every point and marker, with dashed markers and no dots', () => {
    const svg = plotSvg(
      [
        {
          title: 'Worker RSS while parking',
          xLabel: 'runs parked',
          yLabel: 'MiB',
          xScale: 'linear',
          markers: [{ x: 30, label: 'cache full (30 runs)' }],
          series: [
            {
              name: 'worker RSS',
              color: '#d62728',
              dots: false,
              points: [
                { x: 0, y: s(100) },
                { x: 10, y: s(150) },
                { x: 20, y: s(200) },
                { x: 40, y: s(210) },
              ],
            },
          ],
        },
      ],
      'caption',
    );
    const [, d] = /<polyline points="([^"]+)"/.exec(svg) ?? [];
    const points = d.split(' ').map((p) => p.split(',').map(Number));
    // Linear x: 0, 10, 20 equally spaced, 40 twice as far from 20; x = 0 at the plot's left edge (72).
    expect(points[0][0]).toBeCloseTo(72, 1);
    expect(points[1][0] - points[0][0]).toBeCloseTo(points[2][0] - points[1][0], 1);
    expect(points[3][0] - points[2][0]).toBeCloseTo(2 * (points[2][0] - points[1][0]), 1);
    // Ticks 0..40 along x; the largest is the plot's right edge.
    for (const t of [0, 10, 20, 30, 40]) expect(svg).toMatch(new RegExp(`text-anchor="middle">${t}</text>`));
    expect(points[3][0]).toBeCloseTo(460 - 16, 1);
    // The marker: a dashed vertical line at x = 30 (three quarters of the way), with its label.
    const marker = /<line x1="([\d.]+)" x2="([\d.]+)"[^>]*stroke-dasharray/.exec(svg);
    expect(Number(marker?.[1])).toBeCloseTo(points[0][0] + 0.75 * (points[3][0] - points[0][0]), 1);
    expect(svg).toContain('cache full (30 runs)');
    // No dots for a curve of many samples.
    expect(svg).not.toContain('<circle');
  });
});
