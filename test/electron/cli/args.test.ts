/** The CLI flag parser: declared flags only, values checked, clear one-line refusals. */
import { describe, expect, it } from 'vitest';
import { flagInt, flagString, parseArgs } from '../../../electron/cli/args';

describe('parseArgs', () => {
  it('reads declared value and boolean flags, --name=value and positionals after --', () => {
    const a = parseArgs(['plan.json', '--config', 'c.json', '--json', '--out=/d', '--', '--x'], {
      values: ['config', 'out'],
      booleans: ['json'],
    });
    expect(a.positionals).toEqual(['plan.json', '--x']);
    expect(flagString(a, 'config')).toBe('c.json');
    expect(flagString(a, 'out')).toBe('/d');
    expect(a.flags.get('json')).toBe(true);
  });

  it('refuses an undeclared flag, naming it and the flags the command takes', () => {
    const spec = { values: ['config', 'port'] };
    for (const bad of [['--host', '0.0.0.0'], ['--bind=0.0.0.0'], ['--prot', '1']])
      expect(() => parseArgs(bad, spec)).toThrow(
        new RegExp(
          `^unknown option --${bad[0]!.slice(2).split('=')[0]} \\(this command takes --config, --port\\)$`,
        ),
      );
    expect(() => parseArgs(['--json'])).toThrow(
      /unknown option --json \(this command takes no options\)/,
    );
  });

  it('refuses a value flag without a value and a boolean flag with one', () => {
    expect(() => parseArgs(['--config'], { values: ['config'] })).toThrow(/--config needs a value/);
    expect(() => parseArgs(['--json=yes'], { booleans: ['json'] })).toThrow(
      /--json takes no value/,
    );
  });

  it('flagInt accepts 0..max and refuses anything else with one line', () => {
    const port = (v: string) =>
      flagInt(parseArgs(['--port', v], { values: ['port'] }), 'port', 8420, 65_535);
    expect(port('0')).toBe(0);
    expect(port('65535')).toBe(65_535);
    expect(flagInt(parseArgs([]), 'port', 8420, 65_535)).toBe(8420);
    for (const bad of ['99999', '-1', '1.5', 'abc', '', '1e3'])
      expect(() => port(bad)).toThrow(`--port must be an integer from 0 to 65535, got "${bad}"`);
  });
});
