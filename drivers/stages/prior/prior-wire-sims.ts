/** Wire simulator registry entry `prior-proscan`. */
import type { WireSimEntry } from '../../wire-sim/wire-sim-types';
import { PriorWireSim } from './prior-wire-sim';

export const priorWireSimulators: Record<string, WireSimEntry> = {
  'prior-proscan': {
    description: 'Prior ProScan III with an XY stage and a focus drive (1 µm user units)',
    create: ({ world }) => new PriorWireSim(world, {}),
  },
};
