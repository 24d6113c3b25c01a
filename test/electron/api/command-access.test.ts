/** Every command is classified for access control in the contract itself, and only there. */
import { describe, expect, it } from 'vitest';
import { commandAccess, commandNames } from '../../../electron/api/contract';

describe('command access classes', () => {
  it('classify every command, and nothing that is not a command', () => {
    expect(Object.keys(commandAccess).sort()).toEqual([...commandNames].sort());
    for (const name of commandNames)
      expect(['read', 'mutating', 'control', 'safety'], name).toContain(commandAccess[name]);
  });

  it('keep e-stop open to everyone and everything that moves, emits or writes behind the lease', () => {
    expect(Object.entries(commandAccess).filter(([, a]) => a === 'safety')).toEqual([
      ['estop', 'safety'],
    ]);
    for (const name of commandNames) {
      if (/^(stage|focus|laser|camera|channel|run|upload|device|safety)\./.test(name))
        expect(commandAccess[name], name).toBe('mutating');
      if (name.startsWith('control.')) expect(commandAccess[name], name).toBe('control');
    }
    expect(commandAccess['plan.estimate']).toBe('read');
    expect(commandAccess['audit.query']).toBe('read');
  });
});
