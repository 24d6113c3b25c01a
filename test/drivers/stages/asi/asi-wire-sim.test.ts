/** The ASI simulator's bytes, line by line, on a manual clock (no pty needed here). */
import { describe, expect, it } from 'vitest';
import { AsiWireSim, type AsiWireSimOptions } from '../../../../drivers/stages/asi/asi-wire-sim';
import { SimWorld } from '../../../../drivers/sim/world';

function setup(options: AsiWireSimOptions = { variant: 'ms2000' }) {
  const clock = { ms: 0 };
  const world = new SimWorld({
    seed: 1,
    cellCount: 0,
    slideHalfWidthUm: 2000,
    clock: () => clock.ms,
  });
  const sim = new AsiWireSim(world, options);
  return { clock, world, sim, say: (line: string) => sim.respond(line) };
}

describe('ASI wire simulator', () => {
  it('answers a move with :A at once, reports B while moving and N after, in 1/10 µm', () => {
    const { clock, world, say } = setup();
    expect(say('M X=10000 Y=-5000')).toBe(':A \r\n');
    expect(say('/')).toBe('B\r\n');
    expect(say('STATUS')).toBe('B\r\n');
    clock.ms += 10_000;
    expect(say('/')).toBe('N\r\n');
    expect(say('W X Y')).toBe(':A 10000 -5000 \r\n');
    expect(world.stage.positionUm()).toEqual([1000, -500]);
  });

  it('moves Z on the focus mechanism, relative moves add to the current position', () => {
    const { clock, world, say } = setup();
    expect(say('m z=500')).toBe(':A \r\n');
    clock.ms += 10_000;
    expect(say('R Z=-200')).toBe(':A \r\n');
    clock.ms += 10_000;
    expect(world.focus.positionUm()).toEqual([30]);
    expect(say('W Z')).toBe(':A 300 \r\n');
  });

  it('halts mid-move with \\ and HALT', () => {
    const { clock, world, say } = setup();
    say('M X=100000');
    clock.ms += 100;
    expect(say('\\')).toBe(':A \r\n');
    expect(say('/')).toBe('N\r\n');
    const [x = 0] = world.stage.positionUm();
    expect(x).toBeGreaterThan(0);
    expect(x).toBeLessThan(10_000);
    say('M Z=1000');
    expect(say('HALT')).toBe(':A \r\n');
    expect(say('/')).toBe('N\r\n');
  });

  it.each([
    ['FOO', ':N-1\r\n'],
    ['M Q=1', ':N-2\r\n'],
    ['M', ':N-3\r\n'],
    ['M X', ':N-3\r\n'],
    ['M X=abc', ':N-4\r\n'],
    ['W', ':N-3\r\n'],
    ['UM X?', ':N-1\r\n'],
    ['2HALT', ':N-1\r\n'],
  ])('MS-2000 %j → %j', (line, reply) => {
    expect(setup().say(line)).toBe(reply);
  });

  it('injected errors answer the next command only', () => {
    const { sim, say } = setup();
    sim.injectError(5);
    sim.injectError(21);
    expect(say('W X')).toBe(':N-5\r\n');
    expect(say('W X')).toBe(':N-21\r\n');
    expect(say('W X')).toBe(':A 0 \r\n');
  });

  it('clamps speeds and stops at the soft limits', () => {
    const { clock, say } = setup();
    expect(say('S X=100')).toBe(':A \r\n');
    expect(say('S X? Y?')).toBe(':A X=7.5 Y=7.5 \r\n');
    expect(say('SU X=1')).toBe(':A \r\n');
    expect(say('SU X?')).toBe(':A X=1 \r\n');
    say('M X=50000');
    clock.ms += 10_000;
    expect(say('W X')).toBe(':A 10000 \r\n');
  });

  it('HERE and Z redefine the position without moving', () => {
    const { world, say } = setup();
    expect(say('H X=100 Y=-100')).toBe(':A \r\n');
    expect(world.stage.positionUm()).toEqual([10, -10]);
    expect(say('Z')).toBe(':A \r\n');
    expect(say('W X Y Z')).toBe(':A 0 0 0 \r\n');
  });

  it('identifies itself', () => {
    const { say } = setup();
    expect(say('V')).toBe(':A Version: USB-9.2p \r\n');
    expect(say('BU')).toBe(':A MS2000-XYZ \r\n');
  });
});

describe('ASI Tiger wire simulator', () => {
  it('reports its cards and axes with BU X (lines split by \\r, last \\r\\n)', () => {
    const { say } = setup({ variant: 'tiger' });
    expect(say('BU X')).toBe(
      'TIGER_COMM\rMotor Axes: X Y Z\rAxis Types: x x z\rAxis Addr: 1 1 2\rHex Addr: 31 31 32\rAxis Props: 0 0 0\r\n',
    );
    expect(say('BU')).toBe('TIGER_COMM\r\n');
  });

  it('scales positions by the per-axis unit multiplier, which can be changed', () => {
    const { clock, world, say } = setup({ variant: 'tiger', unitsPerMm: { X: 1000 } });
    expect(say('UM X? Y?')).toBe(':A X=1000 Y=10000 \r\n');
    say('M X=500 Y=5000');
    clock.ms += 10_000;
    expect(world.stage.positionUm()).toEqual([500, 500]);
    expect(say('W X')).toBe(':A 500 \r\n');
    expect(say('UM Y=2000')).toBe(':A \r\n');
    expect(say('W Y')).toBe(':A 1000 \r\n');
    expect(say('UM Y=0')).toBe(':N-4\r\n');
  });

  it('per-axis busy, card-addressed halt and bad card address', () => {
    const { say } = setup({ variant: 'tiger' });
    say('M X=100000 Z=1000');
    expect(say('RS X?')).toBe(':A B\r\n');
    expect(say('2HALT')).toBe(':A \r\n');
    expect(say('RS Z?')).toBe(':A N\r\n');
    expect(say('RS X?')).toBe(':A B\r\n');
    expect(say('9HALT')).toBe(':N-7\r\n');
    expect(say('1HALT')).toBe(':A \r\n');
    expect(say('RS X?')).toBe(':A N\r\n');
  });
});
