/** The macro commands (contract: electron/api/macro-schema.ts) and `stage.position`. */
import { readFileSync } from 'node:fs';
import { StateError } from '../../drivers/errors';
import type { AppState, MacroCommandName } from '../api/contract';
import type { Handlers } from '../host/command-handlers';
import type { StateStore } from '../host/state-store';
import type { MacroService } from './macro-service';
import { macroCompletions, macroTypings } from './typings';

const summary = (v: {
  id: string;
  name: string;
  phase: 'running' | 'finished' | 'failed' | 'aborted';
}) => ({
  id: v.id,
  name: v.name,
  phase: v.phase,
});

/** `stage.position`'s answer: the position as last read (also a macro's snapshot read). */
export function stagePosition({ stage, focus }: AppState) {
  if (!stage) throw new StateError('No XY stage is configured');
  return { xUm: stage.xUm, yUm: stage.yUm, zUm: focus ? focus.zUm : null };
}

export function createMacroHandlers(
  macros: () => MacroService,
  store: StateStore,
): Pick<Handlers, MacroCommandName> {
  return {
    'macro.start': async (p, ctx) => macros().start(p, ctx),
    'macro.status': async (p) => macros().view(p.id),
    'macro.abort': async (p) => ({ aborted: (await macros().abort(p.id)).map(summary) }),
    'macro.list': async () => ({
      macros: macros()
        .library()
        .map(({ name, folder, language, summary: s, file }) => ({
          name,
          folder,
          language,
          summary: s,
          source: readFileSync(file, 'utf8'),
        })),
      running: macros().running().map(summary),
    }),
    'macro.typings': async () => ({ dts: macroTypings(), completions: macroCompletions() }),
    'stage.position': async () => stagePosition(store.state),
  };
}
