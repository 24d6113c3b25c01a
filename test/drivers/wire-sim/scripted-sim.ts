/** A table-driven wire simulator for transport tests: command line → reply lines. */
import { WireSimulator, type SimReply } from '../../../drivers/wire-sim/sim-base';

export class ScriptedSim extends WireSimulator {
  readonly name = 'scripted';
  protected readonly replyTerminator: string;

  constructor(
    private readonly table: Record<string, SimReply | SimReply[]>,
    replyTerminator = '\r\n',
  ) {
    super();
    this.replyTerminator = replyTerminator;
  }

  protected handle(line: string): SimReply | SimReply[] | undefined {
    return this.table[line] ?? `ERR unknown ${line}`;
  }
}
