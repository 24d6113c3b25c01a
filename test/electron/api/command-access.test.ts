/** Every command is classified for access control in the contract itself, and only there. */
import { describe, expect, it } from 'vitest';
import { commandAccess, commandNames } from '../../../electron/api/contract';

describe('command access classes', () => {
  it('classify every command, and nothing that is not a command', () => {
    expect(Object.keys(commandAccess).sort()).toEqual([...commandNames].sort());
    for (const name of commandNames)
      expect(['read', 'mutating', 'control', 'safety'], name).toContain(commandAccess[name]);
  });

  it('keep stopping and switching light off open to everyone, and everything that moves, emits or writes behind the lease', () => {
    // Aborting a macro (#15) only stops motion and switches light off: open to everyone too.
    const open = ['estop', 'stage.stop', 'focus.stop', 'laser.allOff', 'macro.abort'];
    // Issue #14: reading camera features changes nothing.
    const reads = ['stage.position', 'camera.listFeatures', 'camera.getFeature'];
    expect(
      Object.entries(commandAccess)
        .filter(([, a]) => a === 'safety')
        .map(([n]) => n)
        .sort(),
    ).toEqual([...open].sort());
    for (const name of commandNames) {
      if (open.includes(name)) continue;
      if (reads.includes(name)) {
        expect(commandAccess[name], name).toBe('read');
        continue;
      }
      if (/^(stage|focus|laser|camera|channel|run|upload|device|safety)\./.test(name))
        expect(commandAccess[name], name).toBe('mutating');
      if (name.startsWith('control.')) expect(commandAccess[name], name).toBe('control');
    }
    expect(commandAccess['plan.estimate']).toBe('read');
    expect(commandAccess['audit.query']).toBe('read');
    expect(commandAccess['macro.start']).toBe('mutating');
    expect(commandAccess['camera.setFeature']).toBe('mutating');
  });
});
