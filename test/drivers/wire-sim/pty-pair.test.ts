import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { StateError } from '../../../drivers/errors';
import { startPtyPair } from '../../../drivers/wire-sim/pty-pair';

describe('socat pty pair', () => {
  it('creates both links, and removes them when socat is killed', async () => {
    const pair = await startPtyPair();
    try {
      expect(existsSync(pair.simPath)).toBe(true);
      expect(existsSync(pair.devicePath)).toBe(true);
      expect(pair.isAlive()).toBe(true);
    } finally {
      await pair.kill();
    }
    expect(pair.isAlive()).toBe(false);
    expect(existsSync(pair.devicePath)).toBe(false);
    if (pair.createdDir) await rm(pair.createdDir, { recursive: true, force: true });
  });

  it('says so clearly when socat is not installed', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent-aquila-bin';
    try {
      const err = await startPtyPair().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StateError);
      expect((err as Error).message).toMatch(/socat is not installed \(apt-get install socat\)/);
    } finally {
      process.env.PATH = path;
    }
  });
});
