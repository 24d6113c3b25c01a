/** Command-line parsing shared by the ASI simulator: axis letters, `X=v` pairs, long names. */

export type AxisLetter = 'X' | 'Y' | 'Z';
export const AXES: readonly AxisLetter[] = ['X', 'Y', 'Z'];

/** Long command names → the short form (ASI accepts both). */
export const ALIASES: Record<string, string> = {
  MOVE: 'M',
  MOVREL: 'R',
  WHERE: 'W',
  HERE: 'H',
  STATUS: '/',
  HALT: '\\',
  BUILD: 'BU',
  VERSION: 'V',
  SPEED: 'S',
  SETLOW: 'SL',
  SETUP: 'SU',
  RDSTAT: 'RS',
  UNITS: 'UM',
  CDATE: 'CD',
  ZERO: 'Z',
};

/** Thrown while executing a command; the simulator answers `:N-<asiCode>`. */
export class SimCommandError extends Error {
  constructor(readonly asiCode: number) {
    super(`:N-${asiCode}`);
  }
}

export function parseAxis(token: string): AxisLetter {
  const letter = token.charAt(0).toUpperCase();
  if (!(AXES as readonly string[]).includes(letter)) throw new SimCommandError(2);
  return letter as AxisLetter;
}

/** `X Y?` style arguments → axis letters. */
export function parseLetters(args: string[]): AxisLetter[] {
  if (args.length === 0) throw new SimCommandError(3);
  return args.map(parseAxis);
}

/** `X=1.5 Y=-2` → [['X', 1.5], ['Y', -2]]. */
export function parseAssignments(args: string[]): [AxisLetter, number][] {
  if (args.length === 0) throw new SimCommandError(3);
  return args.map((t) => {
    const m = /^([A-Za-z])=(.*)$/.exec(t);
    const axis = parseAxis(t);
    if (!m) throw new SimCommandError(3);
    const value = Number(m[2]);
    if (m[2] === '' || !Number.isFinite(value)) throw new SimCommandError(4);
    return [axis, value];
  });
}
