import { describe, expect, it } from 'vitest';
import {
  LineSplitter,
  isReplyComplete,
  oneLineAfterEcho,
  printable,
  untilLine,
  type ReplyTerminator,
} from '../../../drivers/serial/framing';

describe('LineSplitter', () => {
  const cases: { term: ReplyTerminator; chunks: string[]; lines: string[]; partial: string }[] = [
    { term: '\r\n', chunks: [':A 1\r\n'], lines: [':A 1'], partial: '' },
    { term: '\r\n', chunks: [':A', ' 1\r', '\n:N-1\r\n'], lines: [':A 1', ':N-1'], partial: '' },
    { term: '\r\n', chunks: ['a\r\n\r\nb'], lines: ['a', ''], partial: 'b' },
    { term: '\r\n', chunks: ['a\rb\r\n'], lines: ['a\rb'], partial: '' },
    { term: '\r', chunks: ['R\r0\r', '1'], lines: ['R', '0'], partial: '1' },
    { term: '\n', chunks: ['x\r\n'], lines: ['x\r'], partial: '' },
    {
      term: 'any-eol',
      chunks: ['BU\rMotor Axes: X Y\r', '\nAxis Types: x y\r\n'],
      lines: ['BU', 'Motor Axes: X Y', 'Axis Types: x y'],
      partial: '',
    },
    { term: 'any-eol', chunks: ['\r\n\r\nOK\n', 'tail'], lines: ['OK'], partial: 'tail' },
    { term: '\r\n', chunks: ['\xff\x00\r\n'], lines: ['\xff\x00'], partial: '' },
  ];
  it.each(cases)('$term splits $chunks', ({ term, chunks, lines, partial }) => {
    const s = new LineSplitter(term);
    const out = chunks.flatMap((c) => s.push(Buffer.from(c, 'latin1')));
    expect(out).toEqual(lines);
    expect(s.partial).toBe(partial);
    expect(s.clear()).toBe(partial);
    expect(s.partial).toBe('');
  });
});

describe('reply shapes', () => {
  it.each([
    [0, [], true],
    [1, [], false],
    [1, ['x'], true],
    [2, ['x'], false],
  ] as const)('count %d with %j → %s', (n, lines, done) => {
    expect(isReplyComplete(n, lines)).toBe(done);
  });

  const obis = untilLine(/^OK$/, /^ERR-\d+$/);
  it.each([
    [[], false],
    [['0.1000'], false],
    [['0.1000', 'OK'], true],
    [['ERR-100'], true],
    [['OKAY'], false],
  ] as const)('until OK/ERR with %j → %s', (lines, done) => {
    expect(isReplyComplete(obis, lines)).toBe(done);
  });

  const echo = oneLineAfterEcho('l?');
  it.each([
    [[], false],
    [['l?'], false],
    [['L? '], false],
    [['l?', '1'], true],
    [['1'], true],
  ] as const)('one line after echo with %j → %s', (lines, done) => {
    expect(isReplyComplete(echo, lines)).toBe(done);
  });

  it('escapes control characters for messages', () => {
    expect(printable('a\r\n\x01')).toBe('a\\r\\n\\u0001');
  });
});
