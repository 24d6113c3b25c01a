/** report.html: one self-contained page — summary, tile mosaic, ROI table, signal, focus and drift figures. */
import { MIN_DRIFT_CONFIDENCE } from './drift-correction';
import type { FlimpReport, ReportRoi } from './report';

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const num = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits);

const STATE_COLOUR: Record<ReportRoi['state'], string> = {
  imaged: '#2a9d3a',
  skipped: '#d08a00',
  interrupted: '#c0392b',
  pending: '#888888',
};

/** Tiles at their stage positions with their thumbnails, ROIs as circles coloured by state. */
function mosaicSvg(r: FlimpReport, images: ReadonlyMap<string, string>): string {
  const tiles = r.tiles.filter((t) => t.xUm !== null);
  if (!tiles.length) return '<p>No tile was scanned.</p>';
  const x0 = Math.min(...tiles.map((t) => t.xUm! - t.widthUm! / 2));
  const y0 = Math.min(...tiles.map((t) => t.yUm! - t.heightUm! / 2));
  const x1 = Math.max(...tiles.map((t) => t.xUm! + t.widthUm! / 2));
  const y1 = Math.max(...tiles.map((t) => t.yUm! + t.heightUm! / 2));
  const w = x1 - x0;
  const h = y1 - y0;
  const scale = 640 / Math.max(w, h);
  const parts = tiles.map((t) => {
    const x = (t.xUm! - t.widthUm! / 2 - x0) * scale;
    const y = (t.yUm! - t.heightUm! / 2 - y0) * scale;
    const tw = t.widthUm! * scale;
    const th = t.heightUm! * scale;
    const img = t.thumbnail && images.get(t.thumbnail);
    return (
      (img
        ? `<image href="${img}" x="${x}" y="${y}" width="${tw}" height="${th}" preserveAspectRatio="none"/>`
        : '') +
      `<rect x="${x}" y="${y}" width="${tw}" height="${th}" fill="none" stroke="#4a90d9" stroke-width="1"/>` +
      `<text x="${x + 3}" y="${y + 12}" fill="#4a90d9" font-size="11">${t.index}</text>`
    );
  });
  for (const roi of r.rois) {
    const cx = (roi.xUm - x0) * scale;
    const cy = (roi.yUm - y0) * scale;
    parts.push(
      `<circle cx="${cx}" cy="${cy}" r="6" fill="none" stroke="${STATE_COLOUR[roi.state]}" stroke-width="2"><title>ROI ${roi.id}: ${esc(roi.state)}${roi.reason ? ` (${esc(roi.reason)})` : ''}</title></circle>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w * scale}" height="${h * scale}" style="background:#111">${parts.join('')}</svg>`;
}

/** Small line plot of y values (x = index or given), axes labelled with the extremes. */
function plotSvg(series: { points: [number, number][]; colour: string }[], label: string): string {
  const all = series.flatMap((s) => s.points);
  if (all.length < 2) return '';
  const W = 280;
  const H = 120;
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const [xa, xb] = [Math.min(...xs), Math.max(...xs)];
  const [ya, yb] = [Math.min(...ys), Math.max(...ys)];
  const px = (x: number) => 30 + ((x - xa) / (xb - xa || 1)) * (W - 40);
  const py = (y: number) => H - 20 - ((y - ya) / (yb - ya || 1)) * (H - 30);
  const lines = series
    .map(
      (s) =>
        `<polyline fill="none" stroke="${s.colour}" stroke-width="1.5" points="${s.points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')}"/>`,
    )
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" class="plot">` +
    `<text x="2" y="12" font-size="10">${esc(label)}</text>` +
    `<text x="2" y="${H - 22}" font-size="9">${num(ya)}</text><text x="2" y="24" font-size="9">${num(yb)}</text>` +
    `<text x="30" y="${H - 4}" font-size="9">${num(xa)}</text><text x="${W - 40}" y="${H - 4}" font-size="9">${num(xb)}</text>` +
    `${lines}</svg>`
  );
}

/**
 * Phase-correlation peaks below this are not trusted (dim, bleached last frames): B measured
 * ~0.4–0.8 for matching frames and ~0.02–0.15 for unrelated ones (kernels/phase-correlation.ts).
 */

const lowConfidence = (r: ReportRoi) =>
  r.driftConfidence !== null && r.driftConfidence < MIN_DRIFT_CONFIDENCE;

function roiRow(roi: ReportRoi, images: ReadonlyMap<string, string>): string {
  const img = roi.thumbnail && images.get(roi.thumbnail);
  const signal = plotSvg(
    [{ points: roi.signals.map((v, i) => [i, v] as [number, number]), colour: '#2a9d3a' }],
    'signal per time point',
  );
  const curve = roi.focus?.curve?.length
    ? plotSvg(
        [
          {
            points: roi.focus.curve.map((p) => [p.zUm, p.score] as [number, number]),
            colour: '#4a90d9',
          },
        ],
        'focus curve (z µm)',
      )
    : '';
  return `<tr>
<td>${roi.id}</td><td>${roi.tile}</td><td>${num(roi.xUm)}, ${num(roi.yUm)}</td>
<td style="color:${STATE_COLOUR[roi.state]}">${esc(roi.state)}${roi.reason ? `<br><small>${esc(roi.reason)}</small>` : ''}</td>
<td>${roi.frames}</td><td>${num(roi.finalFraction, 2)}</td><td>${num(roi.driftNm, 0)}${roi.driftUm ? `<br><small>(${num(roi.driftUm.xUm, 2)}, ${num(roi.driftUm.yUm, 2)}) µm</small>` : ''}${lowConfidence(roi) ? ' <small>(low confidence)</small>' : ''}${roi.correctionUm && (roi.correctionUm.xUm !== 0 || roi.correctionUm.yUm !== 0) ? `<br><small>stage corrected by (${num(roi.correctionUm.xUm, 2)}, ${num(roi.correctionUm.yUm, 2)}) µm</small>` : ''}</td>
<td>${roi.focus ? `${esc(roi.focus.mode)} z=${num(roi.focus.zUm, 2)}` : '–'}</td>
<td>${img ? `<img src="${img}" alt="ROI ${roi.id}">` : ''}</td><td>${signal}${curve}</td>
<td><small>${roi.dataset ? esc(roi.dataset) : ''}</small></td></tr>`;
}

export function renderReportHtml(r: FlimpReport, images: ReadonlyMap<string, string>): string {
  const imaged = r.rois.filter((x) => x.state === 'imaged');
  const drift = plotSvg(
    [
      {
        points: imaged
          .filter((x) => x.driftNm !== null)
          .map((x) => [x.id, x.driftNm!] as [number, number]),
        colour: '#c0392b',
      },
    ],
    'drift first→last frame per ROI (nm; confident registrations)',
  );
  const focusZ = plotSvg(
    [
      {
        points: r.tiles
          .filter((t) => t.focus)
          .map((t) => [t.index, t.focus!.zUm] as [number, number]),
        colour: '#4a90d9',
      },
    ],
    'focus z per tile (µm)',
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Aquila automation report: ${esc(r.name)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:24px;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top}
th{background:#f3f3f3}img{image-rendering:pixelated;width:96px}.plot{display:block;margin:2px 0}
.phase-finished{color:#2a9d3a}.phase-failed,.phase-cancelled{color:#c0392b}
</style></head><body>
<h1>Automation run ${esc(r.name)}</h1>
<p class="phase-${esc(r.phase)}"><b>${esc(r.phase)}</b>${r.endReason ? `: ${esc(r.endReason)}` : ''}
 — started ${esc(new Date(r.startedAtMs).toISOString())}${r.endedAtMs ? `, ended ${esc(new Date(r.endedAtMs).toISOString())}` : ''}${r.resumes ? `, resumed ${r.resumes}×` : ''}</p>
<table><tr><th>tiles</th><th>ROIs found</th><th>imaged</th><th>skipped</th><th>interrupted</th><th>ROI exposures (s)</th><th>run (s)</th></tr>
<tr><td>${r.counts.tiles}</td><td>${r.counts.found}</td><td>${r.counts.imaged}</td><td>${r.counts.skipped}</td><td>${r.counts.interrupted}</td>
<td>${num(r.exposureMsTotal / 1000, 2)}</td><td>${r.runMs === null ? '–' : num(r.runMs / 1000, 1)}</td></tr></table>
<h2>Tiles and ROIs</h2>
<p>Tiles at their stage positions (blue); ROIs: <span style="color:${STATE_COLOUR.imaged}">imaged</span>,
<span style="color:${STATE_COLOUR.skipped}">skipped</span>, <span style="color:${STATE_COLOUR.interrupted}">interrupted</span>,
<span style="color:${STATE_COLOUR.pending}">not reached</span>.</p>
${mosaicSvg(r, images)}
${r.tiles
  .filter((t) => t.state === 'failed')
  .map((t) => `<p>Tile ${t.index} skipped: ${esc(t.reason)}</p>`)
  .join('')}
<h2>Focus and drift</h2>${focusZ}${drift}
<h2>ROIs</h2>
<table><tr><th>ROI</th><th>tile</th><th>stage µm</th><th>state</th><th>frames</th><th>final/first</th><th>drift nm</th><th>focus</th><th>first frame</th><th>figures</th><th>dataset</th></tr>
${r.rois.map((x) => roiRow(x, images)).join('\n')}
</table></body></html>
`;
}
