/**
 * Watches that a device-file path still exists. Needed because a hung-up tty (unplugged
 * USB adapter, killed socat) reads as endless EOF, which `serialport` 13 retries instead
 * of reporting a disconnect; the device node (or pty link) disappearing is the reliable
 * sign. Paths not starting with `/` (Windows `COM3`) are not watched.
 */
import { stat } from 'node:fs';

/** Calls `onGone` once when `path` stops existing; returns a stop function. */
export function watchPresence(path: string, everyMs: number, onGone: () => void): () => void {
  if (everyMs <= 0 || !path.startsWith('/')) return () => undefined;
  let stopped = false;
  const timer = setInterval(() => {
    stat(path, (err) => {
      if (err?.code === 'ENOENT' && !stopped) {
        stopped = true;
        clearInterval(timer);
        onGone();
      }
    });
  }, everyMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
