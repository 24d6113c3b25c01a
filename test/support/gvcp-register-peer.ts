/**
 * A scripted GigE Vision camera for unit tests: answers READREG and WRITEREG from a register
 * map (raw GVCP bytes: no driver code), with hooks to refuse writes or act on them.
 */
import dgram from 'node:dgram';

export interface RegisterPeer {
  port: number;
  regs: Map<number, number>;
  /**
   * Called on each WRITEREG: return `{ status }` to refuse it with that GVCP status, or
   * `{ value }` to store another value (a register that keeps only some bits).
   */
  onWrite: (address: number, value: number) => { status?: number; value?: number } | void;
  close(): void;
}

export async function startRegisterPeer(): Promise<RegisterPeer> {
  const socket = dgram.createSocket('udp4');
  const peer: RegisterPeer = {
    port: 0,
    regs: new Map(),
    onWrite: () => undefined,
    close: () => socket.close(),
  };
  socket.on('message', (msg, from) => {
    const command = msg.readUInt16BE(2);
    const address = msg.readUInt32BE(8);
    const answer = Buffer.alloc(12);
    answer.writeUInt16BE(command + 1, 2);
    answer.writeUInt16BE(4, 4);
    answer.writeUInt16BE(msg.readUInt16BE(6), 6);
    if (command === 0x82) {
      const value = msg.readUInt32BE(12);
      const what = peer.onWrite(address, value) ?? {};
      if (what.status) answer.writeUInt16BE(what.status, 0);
      else peer.regs.set(address, what.value ?? value);
    } else {
      answer.writeUInt32BE(peer.regs.get(address) ?? 0, 8);
    }
    socket.send(answer, from.port, from.address);
  });
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  peer.port = socket.address().port;
  return peer;
}
