/** The Prior simulator's replies, including the `R` that comes only when a move ends. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  PriorWireSim,
  type PriorWireSimOptions,
} from '../../../../drivers/stages/prior/prior-wire-sim';
import { SimWorld } from '../../../../drivers/sim/world';

const sims: PriorWireSim[] = [];
afterEach(() => {
  for (const s of sims.splice(0)) s.close();
});

function setup(options: PriorWireSimOptions = {}) {
  const world = new SimWorld({ seed: 1, cellCount: 0, slideHalfWidthUm: 2000 });
  const sim = new PriorWireSim(world, options);
  sims.push(sim);
  const later: string[] = [];
  vi.spyOn(sim, 'sendUnsolicited').mockImplementation((raw) => void later.push(raw));
  return { world, sim, later, say: (line: string) => sim.respond(line) };
}

const until = async (cond: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('Prior ProScan wire simulator', () => {
  it('starts in compatibility mode; COMP 0 selects standard mode', () => {
    const { say } = setup();
    expect(say('COMP')).toBe('1');
    expect(say('COMP 0')).toBe('0');
    expect(say('COMP')).toBe('0');
  });

  it('answers a move with R only when it ends, and $ shows the busy axes meanwhile', async () => {
    const { world, later, say } = setup();
    say('COMP,0');
    expect(say('G,200,-100')).toBeUndefined();
    expect(say('$')).toBe('3');
    expect(say('V,20')).toBeUndefined();
    expect(later).toEqual([]);
    await until(() => later.length === 2);
    expect(later).toEqual(['R\r', 'R\r']);
    expect(say('$')).toBe('0');
    expect(say('P')).toBe('200,-100,20');
    expect(say('PX')).toBe('200');
    expect(say('PZ')).toBe('20');
    expect(world.focus.positionUm()).toEqual([20]);
  });

  it('in compatibility mode a move answers R at once', () => {
    const { say } = setup();
    expect(say('G 5 5')).toBe('R');
  });

  it('K aborts the running and queued moves with one R', async () => {
    const { world, later, say } = setup();
    say('COMP 0');
    say('G,50000,0');
    say('G,0,0');
    expect(say('K')).toBe('R');
    expect(say('$')).toBe('0');
    await new Promise((r) => setTimeout(r, 30));
    expect(later).toEqual([]);
    expect(world.stage.isBusy()).toBe(false);
  });

  it('a full queue answers E,18', () => {
    const { say } = setup();
    say('COMP 0');
    for (let i = 0; i <= 100; i++) expect(say(`G,${50_000 + i},0`)).toBeUndefined();
    expect(say('G,1,1')).toBe('E,18');
    expect(say('K')).toBe('R');
  });

  it('scales user units by RES', async () => {
    const { world, later, say } = setup({ umPerUnitXy: 0.1, umPerUnitZ: 0.05 });
    say('COMP 0');
    expect(say('RES,s')).toBe('0.100000');
    expect(say('RES,Z')).toBe('0.050000');
    say('G,1000,-1000');
    await until(() => later.length === 1);
    expect(world.stage.positionUm()).toEqual([100, -100]);
    expect(say('RES,s,1')).toBe('0');
    expect(say('P')).toBe('100,-100,0');
  });

  it.each([
    ['FOO', 'E,4'],
    ['G,1', 'E,4'],
    ['G,a,b', 'E,4'],
    ['SMS,0', 'E,8'],
    ['SMS,101', 'E,8'],
    ['RES,s,-1', 'E,8'],
    ['RES,q', 'E,4'],
  ])('%j → %j', (line, reply) => {
    expect(setup().say(line)).toBe(reply);
  });

  it('identifies itself with a ?-listing ending END, VERSION and SERIAL', () => {
    const { say } = setup();
    const info = say('?') ?? '';
    expect(info.split('\r')[0]).toBe('PROSCAN INFORMATION');
    expect(info.endsWith('\rEND')).toBe(true);
    expect(say('VERSION')).toBe('119');
    expect(say('SERIAL')).toBe('70631');
  });

  it('injected errors answer the next command only', () => {
    const { sim, say } = setup();
    sim.injectError(21);
    expect(say('PX')).toBe('E,21');
    expect(say('PX')).toBe('0');
  });
});
