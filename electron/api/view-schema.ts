/**
 * The UI's view settings the host keeps for the operator (issue #18 §4): a reload or a second
 * client opens with the tab and jog steps the controlling operator last chose. They change
 * no hardware; pages read them at `hello` only (a page's own tab is never switched under it).
 */
import { z } from 'zod';
import { command, none } from './schema-parts';

export const viewTab = z.enum(['control', 'acquire', 'automate', 'data', 'navigate']);
export type ViewTab = z.infer<typeof viewTab>;

const jogStep = z.number().finite().positive().max(100_000);

export const viewSettings = z
  .object({
    tab: viewTab,
    /** XY jog step, µm. */
    jogStepUm: jogStep,
    /** Z jog step, µm. */
    jogStepZUm: jogStep,
  })
  .strict();
export type ViewSettings = z.infer<typeof viewSettings>;

export const DEFAULT_VIEW: ViewSettings = { tab: 'control', jogStepUm: 100, jogStepZUm: 1 };

export const viewCommands = {
  'view.set': command(
    viewSettings.partial().strict(),
    none,
    'Remember UI view settings (tab, jog steps µm) for the next page that opens.',
  ),
} as const;
