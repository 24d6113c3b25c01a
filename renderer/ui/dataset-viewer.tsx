/**
 * A dataset's saved images (dataset.readPlane): channel / z / t sliders over the planes,
 * drawn through the live view's LUT for that channel (auto-contrast when it has none).
 */
import { useEffect, useRef, useState } from 'react';
import type { CommandResult, DatasetEntry } from '../../electron/api/contract';
import { lutFor, planeToRgba, planeWindow } from '../display/plane-image';
import { useHost } from './host-context';

type Plane = CommandResult<'dataset.readPlane'>;

/** A plane's base64 samples as 16-bit values (8-bit widened). */
export function decodePlane(p: Plane): Uint16Array {
  const bin = atob(p.pixelsBase64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return p.bitDepth === 8 ? Uint16Array.from(bytes) : new Uint16Array(bytes.buffer);
}

function Slider(p: { axis: string; value: number; size: number; onChange(v: number): void }) {
  if (p.size <= 1) return null;
  return (
    <label className="field">
      <span className="field-label">{p.axis}</span>
      <input
        type="range"
        data-testid={`viewer-${p.axis}`}
        min={0}
        max={p.size - 1}
        value={p.value}
        onChange={(e) => p.onChange(Number(e.target.value))}
      />
      <span className="unit">
        {p.value + 1}/{p.size}
      </span>
    </label>
  );
}

export function DatasetViewer({ dataset, onClose }: { dataset: DatasetEntry; onClose(): void }) {
  const host = useHost();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [at, setAt] = useState({ t: 0, c: 0, z: 0 });
  const [plane, setPlane] = useState<Plane | null>(null);
  useEffect(() => {
    let live = true;
    void host.run('dataset.readPlane', { dataset: dataset.name, ...at }).then((p) => {
      if (live && p) setPlane(p);
    });
    return () => {
      live = false;
    };
  }, [host, dataset.name, at]);
  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!plane || !el || !ctx) return;
    const pixels = decodePlane(plane);
    const s = host.store.getState();
    const lut = lutFor(s, plane.channel);
    const image = ctx.createImageData(plane.widthPx, plane.heightPx);
    const window = planeWindow(pixels, plane.bitDepth, lut, s.saturatedPct);
    planeToRgba(pixels, window, lut?.colormap ?? 'grey', image.data);
    el.width = plane.widthPx;
    el.height = plane.heightPx;
    ctx.putImageData(image, 0, 0);
  }, [plane, host]);
  const sizes = plane?.sizes ?? dataset.sizes ?? { t: 1, c: 1, z: 1 };
  return (
    <div className="dataset-viewer" data-testid={`viewer-${dataset.name}`}>
      <div className="row">
        <b>{dataset.name}</b>
        <span className="sub" data-testid="viewer-channel">
          {plane?.channel ?? '…'}
        </span>
        <button type="button" data-testid="viewer-close" onClick={onClose}>
          Close
        </button>
      </div>
      <canvas ref={canvas} className="viewer-canvas" data-testid="viewer-canvas" />
      <div className="row">
        <Slider axis="c" value={at.c} size={sizes.c} onChange={(c) => setAt({ ...at, c })} />
        <Slider axis="z" value={at.z} size={sizes.z} onChange={(z) => setAt({ ...at, z })} />
        <Slider axis="t" value={at.t} size={sizes.t} onChange={(t) => setAt({ ...at, t })} />
      </div>
    </div>
  );
}
