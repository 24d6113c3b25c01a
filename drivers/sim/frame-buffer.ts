/** Output buffers of the frame makers (render threads): fill a recycled buffer or allocate. */

/** A frame of `n` uint16 samples: a view of `into` when it has exactly that size, else new. */
export function frameBuffer(n: number, into?: ArrayBuffer): Uint16Array {
  return into && into.byteLength === n * 2 ? new Uint16Array(into) : new Uint16Array(n);
}
