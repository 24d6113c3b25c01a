/** Wire simulator registry entries `asi-ms2000` and `asi-tiger`. */
import type { WireSimEntry } from '../../wire-sim/wire-sim-types';
import { AsiWireSim } from './asi-wire-sim';

export const asiWireSimulators: Record<string, WireSimEntry> = {
  'asi-ms2000': {
    description: 'ASI MS-2000 with X, Y and Z',
    create: ({ world }) => new AsiWireSim(world, { variant: 'ms2000' }),
  },
  'asi-tiger': {
    description: 'ASI Tiger TG-1000: XY card (address 1) and Z card (address 2)',
    create: ({ world }) => new AsiWireSim(world, { variant: 'tiger' }),
  },
};
