/**
 * The macro source editor: CodeMirror 6 with JavaScript/TypeScript highlighting and
 * completion of `aquila.…` from the host's generated typings. Mounted in an effect (the
 * server-side render and unit tests get the empty host element).
 */
import { autocompletion, type CompletionContext } from '@codemirror/autocomplete';
import { javascript } from '@codemirror/lang-javascript';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';
import { completeAquila, type MacroCompletion } from './completions';

/** Dark colours to match the app (renderer/styles/base.css). */
const darkTheme = EditorView.theme(
  {
    '&': { backgroundColor: 'var(--panel-2)', color: 'var(--text)' },
    '.cm-content': { caretColor: 'var(--text)' },
    '.cm-gutters': { backgroundColor: 'var(--panel)', color: '#7a8594', border: 'none' },
    '.cm-activeLine': { backgroundColor: '#ffffff0d' },
    '.cm-activeLineGutter': { backgroundColor: '#ffffff14' },
  },
  { dark: true },
);

interface Props {
  /** The document when mounted or when `docKey` changes (loading a library macro). */
  initial: string;
  docKey: string;
  typescript: boolean;
  completions: readonly MacroCompletion[];
  onChange(source: string): void;
}

export function MacroEditor({ initial, docKey, typescript, completions, onChange }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const completionsRef = useRef(completions);
  completionsRef.current = completions;
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  useEffect(() => {
    if (!host.current) return;
    const source = (ctx: CompletionContext) => {
      const line = ctx.state.doc.lineAt(ctx.pos);
      const before = line.text.slice(0, ctx.pos - line.from);
      const r = completeAquila(before, completionsRef.current);
      if (!r) return null;
      return { from: line.from + r.from, options: r.options, validFor: /^[\w$]*$/ };
    };
    const view = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: initial,
        extensions: [
          basicSetup,
          darkTheme,
          javascript({ typescript }),
          autocompletion({ override: [source] }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) onChangeRef.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    return () => view.destroy();
    // A new document (docKey) or language rebuilds the editor; `initial` is read only then.
  }, [docKey, typescript]);

  return <div className="macro-editor" ref={host} data-testid="macro-editor" />;
}
