/**
 * The Macros tab: the library (shipped examples and the user folder), an editor with
 * completion from the API typings, parameters, Run / Dry run, and the console, progress,
 * error (with its line:column) and dry-run report of the macro started here. Abort is in
 * RunningMacros, outside the control gate.
 */
import { useEffect, useState } from 'react';
import type { ApiError, CommandResult, MacroView } from '../../../electron/api/contract';
import { callOutcome } from '../automation/call-outcome';
import { useHost, useUi } from '../host-context';
import type { MacroCompletion } from './completions';
import { parseParams } from './completions';
import { MacroEditor } from './macro-editor';
import { MacroOutput } from './macro-output';
import '../../styles/macros.css';

type Library = CommandResult<'macro.list'>['macros'];

const STARTER = `// aquila.<command>(params) runs an API command; see the completion list (Ctrl-Space).
const p = await aquila.stage.position();
aquila.log('stage at', p.xUm, p.yUm);
`;

export function MacrosTab() {
  const host = useHost();
  const [library, setLibrary] = useState<Library>([]);
  const [completions, setCompletions] = useState<readonly MacroCompletion[]>([]);
  const [doc, setDoc] = useState({ key: 'new', source: STARTER, name: '', ts: false });
  const [source, setSource] = useState(STARTER);
  const [params, setParams] = useState('');
  const [macroId, setMacroId] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | string | null>(null);
  const macros = useUi((s) => s.mirror?.state.macros);
  const current: MacroView | undefined = macros?.find((m) => m.id === macroId);
  const running = current?.phase === 'running';

  // Fetched on every (re)connection: the tab mounts before the link is up.
  const connected = useUi((s) => s.link.state === 'connected');
  useEffect(() => {
    if (!connected) return;
    void callOutcome(host, 'macro.list', {}).then((r) => r.ok && setLibrary(r.value.macros));
    void callOutcome(host, 'macro.typings', {}).then(
      (r) => r.ok && setCompletions(r.value.completions),
    );
  }, [host, connected]);

  const load = (name: string) => {
    const entry = library.find((m) => m.name === name);
    if (!entry) {
      setDoc({ key: `new-${Date.now()}`, source: STARTER, name: '', ts: false });
      return setSource(STARTER);
    }
    setDoc({
      key: `${name}-${Date.now()}`,
      source: entry.source,
      name,
      ts: entry.language === 'ts',
    });
    setSource(entry.source);
  };

  const start = async (dryRun: boolean) => {
    setError(null);
    let p: Record<string, string | number | boolean>;
    try {
      p = parseParams(params);
    } catch (err) {
      return setError((err as Error).message);
    }
    // Unedited library macros run by name (the file the facility ships); edits run inline.
    const fromLibrary = doc.name !== '' && source === doc.source;
    const r = await callOutcome(host, 'macro.start', {
      ...(fromLibrary
        ? { name: doc.name }
        : { source, language: doc.ts ? 'ts' : 'js', ...(doc.name && { label: doc.name }) }),
      params: p,
      ...(dryRun && { dryRun: true }),
    });
    if (r.ok) setMacroId(r.value.id);
    else setError(r.error);
  };

  return (
    <section className="panel macros" data-testid="macros-tab">
      <h2>Macros</h2>
      <div className="row">
        <select
          data-testid="macro-library"
          aria-label="Library macro"
          value={doc.name}
          onChange={(e) => load(e.target.value)}
        >
          <option value="">(new macro)</option>
          {library.map((m) => (
            <option key={m.name} value={m.name} title={m.summary}>
              {m.name} ({m.folder})
            </option>
          ))}
        </select>
        <label>
          <input
            type="checkbox"
            checked={doc.ts}
            onChange={(e) => setDoc((d) => ({ ...d, ts: e.target.checked }))}
          />
          TypeScript
        </label>
      </div>
      <MacroEditor
        initial={doc.source}
        docKey={doc.key}
        typescript={doc.ts}
        completions={completions}
        onChange={setSource}
      />
      <textarea
        data-testid="macro-params"
        aria-label="Parameters (KEY=VALUE per line)"
        placeholder="parameters: KEY=VALUE, one per line"
        rows={2}
        value={params}
        onChange={(e) => setParams(e.target.value)}
      />
      <div className="row">
        <button
          type="button"
          data-testid="macro-run"
          disabled={running}
          onClick={() => void start(false)}
        >
          Run
        </button>
        <button
          type="button"
          data-testid="macro-dry-run"
          disabled={running}
          onClick={() => void start(true)}
        >
          Dry run
        </button>
      </div>
      {error && (
        <p className="error" data-testid="macro-start-error">
          {typeof error === 'string' ? error : `${error.code}: ${error.message}`}
        </p>
      )}
      {current && <MacroOutput view={current} />}
    </section>
  );
}
