/**
 * Scale bar: the largest "nice" length (1, 2, 5 × 10^n µm) whose on-screen width does not
 * exceed `maxScreenPx`. The sample-plane pixel size is FrameMeta.pixelSizeUm × binning.
 */
export interface ScaleBar {
  lengthUm: number;
  widthPx: number;
  label: string;
}

export function sampleUmPerPixel(pixelSizeUm: number, binning: number): number {
  return pixelSizeUm * binning;
}

export function chooseScaleBar(
  umPerImagePixel: number,
  screenPxPerImagePixel: number,
  maxScreenPx = 160,
): ScaleBar | null {
  const umPerScreenPx = umPerImagePixel / screenPxPerImagePixel;
  if (!(umPerScreenPx > 0) || !Number.isFinite(umPerScreenPx)) return null;
  const maxUm = maxScreenPx * umPerScreenPx;
  const exp = Math.floor(Math.log10(maxUm));
  let best = 0;
  for (const e of [exp - 1, exp]) {
    for (const m of [1, 2, 5]) {
      const len = m * 10 ** e;
      if (len <= maxUm * (1 + 1e-9) && len > best) best = len;
    }
  }
  if (best === 0) return null;
  return { lengthUm: best, widthPx: best / umPerScreenPx, label: formatLength(best) };
}

function formatLength(um: number): string {
  if (um >= 1000) return `${+(um / 1000).toPrecision(3)} mm`;
  if (um < 1) return `${+(um * 1000).toPrecision(3)} nm`;
  return `${+um.toPrecision(3)} µm`;
}
