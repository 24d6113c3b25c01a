/**
 * GenICam formula language (SwissKnife, Converter): C-like operators with `=` / `<>` for
 * equality, `**` for power, `?:`, and the GenApi functions. Formulas are parsed once into a
 * tree and evaluated against named variables; nothing is ever handed to `eval`.
 * Integer mode (IntSwissKnife, IntConverter) truncates divisions and results toward zero;
 * bitwise operators always work on 64-bit integers (BigInt), so 32-bit masks stay unsigned.
 */
import { ValidationError } from '../../errors';

type Expr =
  | { t: 'num'; v: number }
  | { t: 'var'; name: string }
  | { t: 'un'; op: string; a: Expr }
  | { t: 'bin'; op: string; a: Expr; b: Expr }
  | { t: 'cond'; c: Expr; a: Expr; b: Expr }
  | { t: 'call'; fn: string; args: Expr[] };

export interface Formula {
  readonly source: string;
  readonly variables: ReadonlySet<string>;
  evaluate(vars: (name: string) => number, integer?: boolean): number;
}

const FUNCTIONS: Record<string, { arity: number[]; f: (...a: number[]) => number }> = {
  ABS: { arity: [1], f: Math.abs },
  SQRT: { arity: [1], f: Math.sqrt },
  TRUNC: { arity: [1], f: Math.trunc },
  FLOOR: { arity: [1], f: Math.floor },
  CEIL: { arity: [1], f: Math.ceil },
  ROUND: {
    arity: [1, 2],
    f: (x, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits,
  },
  SGN: { arity: [1], f: Math.sign },
  NEG: { arity: [1], f: (x) => -x },
  EXP: { arity: [1], f: Math.exp },
  LN: { arity: [1], f: Math.log },
  LG: { arity: [1], f: Math.log10 },
  SIN: { arity: [1], f: Math.sin },
  COS: { arity: [1], f: Math.cos },
  TAN: { arity: [1], f: Math.tan },
  ASIN: { arity: [1], f: Math.asin },
  ACOS: { arity: [1], f: Math.acos },
  ATAN: { arity: [1], f: Math.atan },
};
const CONSTANTS: Record<string, number> = { PI: Math.PI, E: Math.E };

/** Binary operators by precedence, lowest first. */
const LEVELS: string[][] = [
  ['||'],
  ['&&'],
  ['|'],
  ['^'],
  ['&'],
  ['=', '<>'],
  ['<', '>', '<=', '>='],
  ['<<', '>>'],
  ['+', '-'],
  ['*', '/', '%'],
];
const SYMBOLS = ['**', '<<', '>>', '<=', '>=', '<>', '&&', '||', '!=', '=='];
const SINGLE = '+-*/%&|^~!()<>=?:,';

type Token = { k: 'num'; v: number } | { k: 'id'; v: string } | { k: 'op'; v: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const fail = (why: string) => {
    throw new ValidationError(`formula "${src}": ${why} at column ${i + 1}`);
  };
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const hex = /^0[xX][0-9a-fA-F]+/.exec(src.slice(i));
    const dec = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i));
    const id = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(src.slice(i));
    if (hex) {
      out.push({ k: 'num', v: Number(hex[0]) });
      i += hex[0].length;
    } else if (dec) {
      out.push({ k: 'num', v: Number(dec[0]) });
      i += dec[0].length;
    } else if (id) {
      out.push({ k: 'id', v: id[0] });
      i += id[0].length;
    } else {
      const two = src.slice(i, i + 2);
      if (SYMBOLS.includes(two)) {
        out.push({ k: 'op', v: two === '==' ? '=' : two === '!=' ? '<>' : two });
        i += 2;
      } else if (SINGLE.includes(c)) {
        out.push({ k: 'op', v: c });
        i++;
      } else fail(`unexpected character "${c}"`);
    }
  }
  return out;
}

function parse(src: string): Expr {
  const toks = tokenize(src);
  let pos = 0;
  const fail = (why: string): never => {
    throw new ValidationError(`formula "${src}": ${why} (token ${pos + 1})`);
  };
  const peekOp = (): string | undefined => {
    const t = toks[pos];
    return t?.k === 'op' ? t.v : undefined;
  };
  const expect = (op: string) => {
    if (peekOp() !== op) fail(`expected "${op}"`);
    pos++;
  };
  const conditional = (): Expr => {
    const c = binary(0);
    if (peekOp() !== '?') return c;
    pos++;
    const a = conditional();
    expect(':');
    return { t: 'cond', c, a, b: conditional() };
  };
  const binary = (level: number): Expr => {
    if (level === LEVELS.length) return power();
    let a = binary(level + 1);
    for (let op = peekOp(); op && LEVELS[level]!.includes(op); op = peekOp()) {
      pos++;
      a = { t: 'bin', op, a, b: binary(level + 1) };
    }
    return a;
  };
  const power = (): Expr => {
    const a = unary();
    if (peekOp() !== '**') return a;
    pos++;
    return { t: 'bin', op: '**', a, b: power() };
  };
  const unary = (): Expr => {
    const op = peekOp();
    if (op === '-' || op === '+' || op === '~' || op === '!') {
      pos++;
      return { t: 'un', op, a: unary() };
    }
    return primary();
  };
  const primary = (): Expr => {
    const t = toks[pos++];
    if (!t) return fail('unexpected end');
    if (t.k === 'num') return { t: 'num', v: t.v };
    if (t.k === 'op') {
      if (t.v !== '(') fail(`unexpected "${t.v}"`);
      const e = conditional();
      expect(')');
      return e;
    }
    const fn = FUNCTIONS[t.v.toUpperCase()];
    if (fn && peekOp() === '(') {
      pos++;
      const args: Expr[] = [];
      if (peekOp() !== ')') {
        args.push(conditional());
        while (peekOp() === ',') {
          pos++;
          args.push(conditional());
        }
      }
      expect(')');
      if (!fn.arity.includes(args.length))
        fail(`${t.v} takes ${fn.arity.join(' or ')} argument(s), got ${args.length}`);
      return { t: 'call', fn: t.v.toUpperCase(), args };
    }
    return { t: 'var', name: t.v };
  };
  const e = conditional();
  if (pos < toks.length) fail('unexpected trailing input');
  return e;
}

function collectVariables(e: Expr, into: Set<string>): void {
  switch (e.t) {
    case 'var':
      if (!(e.name in CONSTANTS)) into.add(e.name);
      return;
    case 'un':
      return collectVariables(e.a, into);
    case 'bin':
      collectVariables(e.a, into);
      return collectVariables(e.b, into);
    case 'cond':
      [e.c, e.a, e.b].forEach((x) => collectVariables(x, into));
      return;
    case 'call':
      e.args.forEach((x) => collectVariables(x, into));
      return;
    default:
      return;
  }
}

const big = (x: number) => BigInt.asIntN(64, BigInt(Math.trunc(x)));

function evaluate(e: Expr, vars: (name: string) => number, int: boolean): number {
  const ev = (x: Expr) => evaluate(x, vars, int);
  switch (e.t) {
    case 'num':
      return e.v;
    case 'var':
      return e.name in CONSTANTS ? CONSTANTS[e.name]! : vars(e.name);
    case 'cond':
      return ev(e.c) !== 0 ? ev(e.a) : ev(e.b);
    case 'call':
      return FUNCTIONS[e.fn]!.f(...e.args.map(ev));
    case 'un': {
      const a = ev(e.a);
      if (e.op === '-') return -a;
      if (e.op === '!') return a === 0 ? 1 : 0;
      if (e.op === '~') return Number(~big(a));
      return a;
    }
    case 'bin': {
      if (e.op === '&&') return ev(e.a) !== 0 && ev(e.b) !== 0 ? 1 : 0;
      if (e.op === '||') return ev(e.a) !== 0 || ev(e.b) !== 0 ? 1 : 0;
      const a = ev(e.a);
      const b = ev(e.b);
      switch (e.op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          return int ? Math.trunc(a / b) : a / b;
        case '%':
          return a % b;
        case '**':
          return a ** b;
        case '&':
          return Number(big(a) & big(b));
        case '|':
          return Number(big(a) | big(b));
        case '^':
          return Number(big(a) ^ big(b));
        case '<<':
          return Number(BigInt.asIntN(64, big(a) << big(b)));
        case '>>':
          return Number(big(a) >> big(b));
        case '=':
          return a === b ? 1 : 0;
        case '<>':
          return a !== b ? 1 : 0;
        case '<':
          return a < b ? 1 : 0;
        case '>':
          return a > b ? 1 : 0;
        case '<=':
          return a <= b ? 1 : 0;
        default:
          return a >= b ? 1 : 0;
      }
    }
  }
}

const compiled = new Map<string, Formula>();

/** Parses a formula (cached by source); syntax errors throw ValidationError naming the formula. */
export function compileFormula(source: string): Formula {
  let f = compiled.get(source);
  if (!f) {
    const tree = parse(source);
    const variables = new Set<string>();
    collectVariables(tree, variables);
    f = {
      source,
      variables,
      evaluate: (vars, integer = false) => {
        const v = evaluate(tree, vars, integer);
        return integer ? Math.trunc(v) : v;
      },
    };
    compiled.set(source, f);
  }
  return f;
}
