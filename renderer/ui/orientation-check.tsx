/**
 * The one-minute orientation check (stage.checkOrientation): the stage jogs +X and +Y and
 * back while the camera snaps; the answer says whether the configured stageOrientation
 * matches what the image did, and if not, what to put in the config.
 */
import { useState } from 'react';
import type { CommandResult, StageOrientation } from '../../electron/api/contract';
import { useHost } from './host-context';

type Result = CommandResult<'stage.checkOrientation'>;

const json = (o: StageOrientation) =>
  `{ "flipX": ${o.flipX}, "flipY": ${o.flipY}, "rotate90": ${o.rotate90} }`;

export function orientationVerdict(r: Result): string {
  if (r.matches) return 'The configured orientation matches the image: the arrows are right.';
  return `The image moved differently: set "stageOrientation": ${json(r.measured)} in the config (now ${json(r.configured)}) and restart.`;
}

export function OrientationCheck({ disabled }: { disabled: boolean }) {
  const host = useHost();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const run = async () => {
    setBusy(true);
    setResult(null);
    try {
      setResult((await host.run('stage.checkOrientation', {})) ?? null);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="orientation-check">
      <button
        type="button"
        data-testid="orientation-check"
        disabled={disabled || busy}
        title="Snaps, jogs +X and +Y by 20 µm and back (live must be off; a channel selected)"
        onClick={() => void run()}
      >
        {busy ? 'Checking orientation…' : 'Check orientation'}
      </button>
      {result && (
        <p
          className={result.matches ? 'sub' : 'field-error'}
          role="status"
          data-testid="orientation-result"
        >
          {orientationVerdict(result)}
        </p>
      )}
    </div>
  );
}
