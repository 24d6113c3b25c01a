/**
 * The found ROIs, best first: stage position (µm), area (px), mean intensity (ADU above
 * background), accept / reject, and Go to (stage.moveTo; a refusal, e.g. outside the
 * stage limits, is shown on the row).
 */
import type { ApiError } from '../../../electron/api/contract';
import type { FoundRoi, RoiVerdict } from '../../state/roi-slice';

export interface RoiListProps {
  rois: readonly FoundRoi[];
  verdicts: readonly RoiVerdict[];
  /** Row index → the last Go to's refusal. */
  moveErrors: ReadonlyMap<number, ApiError>;
  movingIndex: number | null;
  onVerdict(index: number, verdict: RoiVerdict): void;
  onGoTo(index: number): void;
}

export function RoiList(p: RoiListProps) {
  if (p.rois.length === 0) return <p className="empty">No ROIs found.</p>;
  return (
    <table className="roi-table" data-testid="roi-list">
      <thead>
        <tr>
          <th>#</th>
          <th>x µm</th>
          <th>y µm</th>
          <th>area px</th>
          <th>mean</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {p.rois.map((r, i) => {
          const verdict = p.verdicts[i] ?? 'pending';
          const err = p.moveErrors.get(i);
          return (
            <tr key={i} className={verdict} data-testid={`roi-row-${i}`} data-verdict={verdict}>
              <td>{i + 1}</td>
              <td data-testid={`roi-x-${i}`}>{r.xUm.toFixed(1)}</td>
              <td data-testid={`roi-y-${i}`}>{r.yUm.toFixed(1)}</td>
              <td data-testid={`roi-area-${i}`}>{Math.round(r.areaPx)}</td>
              <td data-testid={`roi-mean-${i}`}>{r.meanIntensity.toFixed(0)}</td>
              <td className="roi-actions">
                <button
                  type="button"
                  data-testid={`roi-accept-${i}`}
                  aria-pressed={verdict === 'accepted'}
                  onClick={() => p.onVerdict(i, verdict === 'accepted' ? 'pending' : 'accepted')}
                >
                  ✓
                </button>
                <button
                  type="button"
                  data-testid={`roi-reject-${i}`}
                  aria-pressed={verdict === 'rejected'}
                  onClick={() => p.onVerdict(i, verdict === 'rejected' ? 'pending' : 'rejected')}
                >
                  ✗
                </button>
                <button
                  type="button"
                  data-testid={`roi-goto-${i}`}
                  disabled={p.movingIndex !== null}
                  onClick={() => p.onGoTo(i)}
                >
                  {p.movingIndex === i ? 'Moving…' : 'Go to'}
                </button>
                {err && (
                  <div className="field-error" role="alert" data-testid={`roi-goto-error-${i}`}>
                    {err.message} ({err.code})
                  </div>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** A one-line summary of the verdicts ("3 found · 1 accepted · 1 rejected"). */
export function verdictSummary(verdicts: readonly RoiVerdict[]): string {
  const accepted = verdicts.filter((v) => v === 'accepted').length;
  const rejected = verdicts.filter((v) => v === 'rejected').length;
  return `${verdicts.length} found · ${accepted} accepted · ${rejected} rejected`;
}
