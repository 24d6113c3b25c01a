/**
 * Tiger axis and card discovery from the multi-line `BU X` reply (protocols.md §1.4; MM
 * ASITiger ASIHub.cpp, TigerASI). Lines are separated by `\r`; the reply ends `\r\n`:
 *
 *   TIGER_COMM
 *   Motor Axes: X Y Z
 *   Axis Types: x x z
 *   Axis Addr: 1 1 2
 *   Hex Addr: 31 31 32
 *   Axis Props: 74 10 1
 *
 * Axis type letters: x/y XY motor, z Z motor, p piezo, w filter wheel, s shutter, g PLogic,
 * u unknown. Lines we do not know are ignored (firmware adds fields over time).
 */
import { ProtocolError } from '../../errors';

export interface TigerAxis {
  /** Axis letter used in axis-specific commands (`M X=…`). */
  letter: string;
  /** Type letter from `Axis Types`. */
  type: string;
  /** Card address character used to prefix card-addressed commands (`2HALT`). */
  cardAddress: string;
}

export interface TigerBuild {
  buildName: string;
  axes: TigerAxis[];
}

function field(lines: string[], name: string): string[] | undefined {
  const re = new RegExp(`^${name}\\s*:\\s*(.*)$`, 'i');
  for (const line of lines) {
    const m = re.exec(line);
    if (m) return (m[1] ?? '').split(/\s+/).filter((t) => t !== '');
  }
  return undefined;
}

export function parseTigerBuild(raw: string): TigerBuild {
  const lines = raw
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const letters = field(lines, 'Motor Axes');
  const types = field(lines, 'Axis Types');
  const addrs = field(lines, 'Axis Addr');
  if (!letters || !types || !addrs) {
    throw new ProtocolError('Tiger "BU X" reply lacks Motor Axes / Axis Types / Axis Addr', {
      raw,
    });
  }
  if (types.length !== letters.length || addrs.length !== letters.length) {
    throw new ProtocolError(
      `Tiger "BU X" reply lists ${letters.length} axes but ${types.length} types and ${addrs.length} addresses`,
      { raw },
    );
  }
  const buildName = (lines[0] ?? '').replace(/^:A\s*/i, '');
  return {
    buildName,
    axes: letters.map((letter, i) => ({
      letter: letter.toUpperCase(),
      type: types[i] ?? 'u',
      cardAddress: addrs[i] ?? '',
    })),
  };
}

/** Builds the `BU X` reply text (without the final `\r\n`) for the simulator. */
export function formatTigerBuild(build: TigerBuild): string {
  const hex = build.axes.map((a) => a.cardAddress.charCodeAt(0).toString(16));
  return [
    build.buildName,
    `Motor Axes: ${build.axes.map((a) => a.letter).join(' ')}`,
    `Axis Types: ${build.axes.map((a) => a.type).join(' ')}`,
    `Axis Addr: ${build.axes.map((a) => a.cardAddress).join(' ')}`,
    `Hex Addr: ${hex.join(' ')}`,
    `Axis Props: ${build.axes.map(() => '0').join(' ')}`,
  ].join('\r');
}
