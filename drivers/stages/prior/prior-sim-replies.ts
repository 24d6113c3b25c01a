/** Fixed replies and the error type of the ProScan simulator. */

/** Moves the controller queues in standard mode before answering `E,18` (manual §4.1). */
export const MAX_QUEUE = 100;

/** `?`: one line per fitted card, ending `END` (shape per nplab; content invented). */
export const IDENTITY_LISTING = [
  'PROSCAN INFORMATION',
  'DSP_1 IS 4 AXIS STAGE CARD',
  'DSP_2 IS 2 AXIS FOCUS CARD',
  'STAGE = H101/2',
  'FOCUS = NORMAL',
  'END',
].join('\r');

/** `DATE`: a model line and a version line. */
export const DATE_REPLY = 'Prior Scientific Instruments ProScan III\rVersion 1.19 Jul 2023';

/** Thrown while executing a command; the simulator answers `E,<priorCode>`. */
export class SimPriorError extends Error {
  constructor(readonly priorCode: number) {
    super(`E,${priorCode}`);
  }
}
