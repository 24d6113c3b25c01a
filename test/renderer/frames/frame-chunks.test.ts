import { describe, expect, it } from 'vitest';
import { FrameAssembler } from '../../../renderer/frames/frame-chunks';
import { encodeForTest, sampleMeta } from './encode-for-test';

function chunk(seq: number, bytes: Uint8Array): ArrayBuffer {
  const out = new Uint8Array(8 + bytes.length);
  out.set([0x41, 0x51, 0x46, 0x43], 0); // "AQFC"
  new DataView(out.buffer).setUint32(4, seq, true);
  out.set(bytes, 8);
  return out.buffer;
}

describe('FrameAssembler', () => {
  const frame = new Uint8Array(
    encodeForTest(sampleMeta({ widthPx: 8, heightPx: 4 }), [...Array(32).keys()]),
  );
  const headerEnd = frame.length - 64;

  it('passes a whole frame through and reassembles a chunked one, counting bytes received', () => {
    const a = new FrameAssembler();
    const whole = a.push(frame.slice().buffer);
    expect(whole).toMatchObject({ seq: 7, bytes: frame.length });
    expect(new Uint8Array(whole.frame!)).toEqual(frame);
    const first = a.push(frame.slice(0, headerEnd + 10).buffer);
    expect(first).toEqual({ seq: 7, bytes: headerEnd + 10, frame: null });
    const mid = a.push(chunk(7, frame.slice(headerEnd + 10, headerEnd + 40)));
    expect(mid).toEqual({ seq: 7, bytes: headerEnd + 10 + 38, frame: null });
    const last = a.push(chunk(7, frame.slice(headerEnd + 40)));
    expect(last.bytes).toBe(headerEnd + 10 + 38 + 32);
    expect(new Uint8Array(last.frame!)).toEqual(frame);
  });

  it('refuses chunks of another frame, chunks without a frame and overlong frames', () => {
    const a = new FrameAssembler();
    expect(() => a.push(chunk(7, Uint8Array.of(1)))).toThrow(
      /frame chunk for frame 7 while no frame/,
    );
    a.push(frame.slice(0, headerEnd + 10).buffer);
    expect(() => a.push(chunk(8, Uint8Array.of(1)))).toThrow(/for frame 8 while frame 7/);
    expect(() => a.push(chunk(7, new Uint8Array(100)))).toThrow(/run past the/);
    const long = new Uint8Array(frame.length + 2);
    long.set(frame);
    expect(() => a.push(long.buffer)).toThrow(/the header says \d+ in all/);
  });
});
