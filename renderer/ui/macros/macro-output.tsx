/** One macro's phase, progress, console, error (with line:column) and dry-run report. */
import type { MacroView } from '../../../electron/api/contract';

export function formatReport(r: NonNullable<MacroView['report']>): string[] {
  const dose = Object.entries(r.laserDoseMj)
    .map(
      ([id, mj]) =>
        `${id} ${mj.toFixed(3)} mJ (${(r.exposureDoseMj[id] ?? 0).toFixed(3)} exposing)`,
    )
    .join(', ');
  return [
    `${r.durationS.toFixed(1)} s, ${r.frames} frames, ${(r.bytes / 1e6).toFixed(1)} MB`,
    `stage ${(r.stageTravelUm / 1000).toFixed(3)} mm, focus ${r.focusTravelUm.toFixed(1)} µm`,
    `laser dose: ${dose || 'none'}`,
    `${r.refusals.length} refused call${r.refusals.length === 1 ? '' : 's'}`,
    ...r.refusals.map((f) => `${f.command}: ${f.code}: ${f.message}`),
  ];
}

export function MacroOutput({ view }: { view: MacroView }) {
  const pct = view.progress ? Math.round(view.progress.fraction * 100) : null;
  return (
    <div className="macro-output" data-testid="macro-output">
      <p data-testid="macro-phase">
        {view.name}
        {view.dryRun ? ' (dry run)' : ''}: {view.phase}
        {pct !== null
          ? ` — ${pct} %${view.progress?.message ? ` ${view.progress.message}` : ''}`
          : ''}
      </p>
      {pct !== null && <progress max={100} value={pct} />}
      <pre className="macro-console" data-testid="macro-console">
        {view.consoleDropped > 0 ? `… ${view.consoleDropped} earlier lines\n` : ''}
        {view.console
          .map((l) => (l.level === 'info' ? l.text : `${l.level}: ${l.text}`))
          .join('\n')}
      </pre>
      {view.error && (
        <p className="error" data-testid="macro-error">
          {view.error.message}
        </p>
      )}
      {view.report && (
        <ul className="macro-report" data-testid="macro-report">
          {formatReport(view.report).map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
