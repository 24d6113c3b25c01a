/**
 * The 3D view's saved z-stack controls: a dataset name, "Load z-stack", and once loaded the
 * position, time point and channel to show (selectors for the axes the dataset has more than
 * one of, from 0; the channel by its name, drawn through that channel's LUT as in the Data
 * tab). A newer load supersedes one still reading (its result is dropped).
 */
import { useRef, useState } from 'react';
import { callOutcome } from '../ui/automation/call-outcome';
import { useHost } from '../ui/host-context';
import { loadDatasetVolume, type DatasetIndex, type DatasetVolume } from './dataset-volume';
import type { ZVolume } from './z-volume';

interface Loaded {
  name: string;
  at: DatasetIndex;
  sizes: DatasetVolume['sizes'];
  channels: string[];
}

function AxisSelect(p: {
  axis: 'p' | 't' | 'c';
  label: string;
  value: number;
  names: readonly string[];
  onChange(v: number): void;
}) {
  if (p.names.length <= 1) return null;
  return (
    <label className="field">
      <span className="field-label">{p.label}</span>
      <select
        data-testid={`nav-volume-${p.axis}`}
        value={p.value}
        onChange={(e) => p.onChange(Number(e.target.value))}
      >
        {p.names.map((n, i) => (
          <option key={i} value={i}>
            {n}
          </option>
        ))}
      </select>
    </label>
  );
}

const numbered = (n: number) => Array.from({ length: n }, (_, i) => String(i));

export function SavedStackControls(p: {
  onLoaded(v: ZVolume): void;
  onError(message: string | null): void;
}) {
  const host = useHost();
  const [name, setName] = useState('');
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const latest = useRef(0);

  const load = (dataset: string, at: DatasetIndex) => {
    const ticket = ++latest.current;
    p.onError(null);
    loadDatasetVolume(
      dataset,
      async (index) => {
        const r = await callOutcome(host, 'dataset.readPlane', { dataset, ...index });
        if (!r.ok) throw new Error(`${r.error.message} [${r.error.code}]`);
        return r.value;
      },
      at,
    )
      .then(({ volume, sizes, channels }) => {
        if (ticket !== latest.current) return;
        setLoaded({ name: dataset, at, sizes, channels });
        p.onLoaded(volume);
      })
      .catch((e: Error) => {
        if (ticket === latest.current) p.onError(`z-stack from ${dataset}: ${e.message}`);
      });
  };
  const pick = (axis: keyof DatasetIndex) => (v: number) => {
    if (loaded) load(loaded.name, { ...loaded.at, [axis]: v });
  };

  return (
    <>
      <input
        data-testid="nav-volume-dataset"
        placeholder="dataset name"
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <button
        type="button"
        data-testid="nav-volume-load"
        disabled={name.trim() === ''}
        onClick={() => load(name.trim(), { p: 0, t: 0, c: 0 })}
      >
        Load z-stack
      </button>
      {loaded && (
        <>
          <AxisSelect
            axis="p"
            label="Position"
            value={loaded.at.p}
            names={numbered(loaded.sizes.p)}
            onChange={pick('p')}
          />
          <AxisSelect
            axis="t"
            label="Time"
            value={loaded.at.t}
            names={numbered(loaded.sizes.t)}
            onChange={pick('t')}
          />
          <AxisSelect
            axis="c"
            label="Channel"
            value={loaded.at.c}
            names={loaded.channels}
            onChange={pick('c')}
          />
        </>
      )}
    </>
  );
}
