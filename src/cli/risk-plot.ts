/** The risk–coverage picture as a small standalone SVG (no dependencies). */

export interface CurvePoint {
  coverage: number;
  accuracy: number;
}

const W = 640;
const H = 420;
const M = { left: 60, right: 20, top: 40, bottom: 50 };
const x = (c: number) => M.left + c * (W - M.left - M.right);
const y = (a: number) => H - M.bottom - a * (H - M.top - M.bottom);
const fmt = (n: number) => n.toFixed(1);
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** A square 0–100% by 0–100% plot: its opening, white ground, title, grid and axis labels; the caller adds the marks. */
function frame(title: string, xLabel: string, yLabel: string): string[] {
  const grid: string[] = [];
  for (let i = 0; i <= 10; i += 2) {
    const v = i / 10;
    grid.push(
      `<line x1="${fmt(x(v))}" y1="${fmt(y(0))}" x2="${fmt(x(v))}" y2="${fmt(y(1))}" stroke="#ddd"/>`,
      `<line x1="${fmt(x(0))}" y1="${fmt(y(v))}" x2="${fmt(x(1))}" y2="${fmt(y(v))}" stroke="#ddd"/>`,
      `<text x="${fmt(x(v))}" y="${H - M.bottom + 18}" text-anchor="middle">${i * 10}%</text>`,
      `<text x="${M.left - 8}" y="${fmt(y(v) + 4)}" text-anchor="end">${i * 10}%</text>`,
    );
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">${escape(title)}</text>`,
    ...grid,
    `<text x="${fmt(x(0.5))}" y="${H - 10}" text-anchor="middle">${escape(xLabel)}</text>`,
    `<text x="16" y="${fmt(y(0.5))}" text-anchor="middle" transform="rotate(-90 16 ${fmt(y(0.5))})">${escape(yLabel)}</text>`,
  ];
}

export function riskCoverageSvg(curve: readonly CurvePoint[], operating: CurvePoint, title: string): string {
  const path = curve.map((p, i) => `${i ? 'L' : 'M'}${fmt(x(p.coverage))},${fmt(y(p.accuracy))}`).join(' ');
  const label = `operating point: ${(operating.coverage * 100).toFixed(1)}% answered, ${(operating.accuracy * 100).toFixed(1)}% right`;
  return [
    ...frame(title, 'share of questions answered (coverage)', 'accuracy of the answered'),
    `<path d="${path}" fill="none" stroke="#1f6feb" stroke-width="2"/>`,
    `<circle cx="${fmt(x(operating.coverage))}" cy="${fmt(y(operating.accuracy))}" r="5" fill="#d1242f"/>`,
    // The label stays inside the picture: it ends left of a point in the right half, starts right of one in the left half.
    operating.coverage > 0.5
      ? `<text x="${fmt(x(operating.coverage) - 8)}" y="${fmt(Math.max(M.top + 12, y(operating.accuracy) - 10))}" text-anchor="end" fill="#d1242f">${escape(label)}</text>`
      : `<text x="${fmt(x(operating.coverage) + 8)}" y="${fmt(Math.max(M.top + 12, y(operating.accuracy) - 10))}" text-anchor="start" fill="#d1242f">${escape(label)}</text>`,
    `</svg>`,
    '',
  ].join('\n');
}

/** The reliability diagram: mean confidence against the share right, per bin, with the diagonal and each bin's size. */
export function reliabilitySvg(bins: readonly { from: number; to: number; count: number; confidence: number; observed: number }[], ece: number, title: string): string {
  const total = bins.reduce((n, b) => n + b.count, 0) || 1;
  const bars = bins.map((b) => {
    const h = (b.count / total) * (H - M.top - M.bottom);
    return `<rect x="${fmt(x(b.from) + 2)}" y="${fmt(y(0) - h)}" width="${fmt(x(b.to) - x(b.from) - 4)}" height="${fmt(h)}" fill="#d0e2ff"/>`;
  });
  const used = bins.filter((b) => b.count > 0);
  const path = used.map((b, i) => `${i ? 'L' : 'M'}${fmt(x(b.confidence))},${fmt(y(b.observed))}`).join(' ');
  return [
    ...frame(title, 'confidence shown (10 bins; bars: share of questions in each)', 'share whose first passage is right'),
    ...bars,
    `<line x1="${fmt(x(0))}" y1="${fmt(y(0))}" x2="${fmt(x(1))}" y2="${fmt(y(1))}" stroke="#888" stroke-dasharray="4 4"/>`,
    `<path d="${path}" fill="none" stroke="#1f6feb" stroke-width="2"/>`,
    ...used.map((b) => `<circle cx="${fmt(x(b.confidence))}" cy="${fmt(y(b.observed))}" r="4" fill="#1f6feb"/>`),
    `<text x="${fmt(x(0) + 8)}" y="${M.top + 14}" fill="#d1242f">expected calibration error ${(ece * 100).toFixed(1)} points</text>`,
    `</svg>`,
    '',
  ].join('\n');
}
