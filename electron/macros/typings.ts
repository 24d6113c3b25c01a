/**
 * The `aquila` object's TypeScript declaration, generated from the API contract (zod →
 * JSON Schema → TypeScript), so macro typings and editor completion never drift from the
 * commands the host accepts. `macroTypings()` is the text of `aquila.d.ts`.
 */
import { z } from 'zod';
import { commands, type CommandName } from '../api/contract';
import { MACRO_COMMANDS } from './macro-service';

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
  description?: string;
};

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A JSON Schema as a TypeScript type expression (what zod's toJSONSchema emits). */
export function tsType(s: JsonSchema | boolean | undefined, indent = ''): string {
  if (s === undefined || s === true) return 'unknown';
  if (s === false) return 'never';
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return alts.map((a) => tsType(a, indent)).join(' | ');
  if (Array.isArray(s.type))
    return s.type.map((t) => tsType({ ...s, type: t }, indent)).join(' | ');
  switch (s.type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return `${wrap(tsType(s.items, indent))}[]`;
    case 'object': {
      const props = Object.entries(s.properties ?? {});
      if (props.length === 0) {
        const extra = s.additionalProperties;
        return extra && extra !== true ? `Record<string, ${tsType(extra, indent)}>` : '{}';
      }
      const inner = `${indent}  `;
      const lines = props.map(([k, v]) => {
        const key = IDENT.test(k) ? k : JSON.stringify(k);
        const opt = s.required?.includes(k) ? '' : '?';
        const doc = v.description ? `${inner}/** ${v.description} */\n` : '';
        return `${doc}${inner}${key}${opt}: ${tsType(v, inner)};`;
      });
      return `{\n${lines.join('\n')}\n${indent}}`;
    }
    default:
      return 'unknown';
  }
}

const wrap = (t: string) => (/[|&]/.test(t) && !t.startsWith('{') ? `(${t})` : t);

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
}

function signature(name: CommandName, indent: string): { arg: string; result: string } {
  const c = commands[name];
  const params = schemaOf(c.params, 'input');
  const noParams = Object.keys(params.properties ?? {}).length === 0;
  let result = tsType(schemaOf(c.result, 'output'), indent);
  if (name === 'camera.snap') result = 'FrameHandle';
  if (result === '{}') result = 'void';
  return { arg: noParams ? 'params?: {}' : `params: ${tsType(params, indent)}`, result };
}

function method(name: CommandName, indent: string): string {
  const { arg, result } = signature(name, indent);
  const leaf = name.split('.').at(-1)!;
  return `${indent}/** ${commands[name].summary} */\n${indent}${leaf}(${arg}): Promise<${result}>;`;
}

const HELPERS = [
  { label: 'aquila.log', detail: '(...args) => void', info: 'A console line.' },
  { label: 'aquila.warn', detail: '(...args) => void', info: 'A console line (warning).' },
  { label: 'aquila.progress', detail: '(fraction, message?) => void', info: 'Progress 0..1.' },
  { label: 'aquila.sleep', detail: '(ms) => Promise<void>', info: 'Wait (a dry run skips it).' },
  { label: 'aquila.state', detail: '() => Promise<AppState>', info: 'The state snapshot.' },
  {
    label: 'aquila.wait',
    detail: "('run' | 'automation') => Promise<view>",
    info: 'Wait until the run is over.',
  },
  {
    label: 'aquila.params',
    detail: 'Record<string, string | number | boolean>',
    info: 'Parameters.',
  },
];

/** One completion per macro command (one-line signature) and per helper. */
export function macroCompletions(): { label: string; detail: string; info: string }[] {
  const oneLine = (t: string) => t.replace(/\s*\n\s*/g, ' ');
  return [
    ...MACRO_COMMANDS.map((n) => {
      const { arg, result } = signature(n, '');
      return {
        label: `aquila.${n}`,
        detail: oneLine(`(${arg}) => Promise<${result}>`),
        info: commands[n].summary,
      };
    }),
    ...HELPERS,
  ];
}

/** The declaration of `aquila` (and `console`) as a macro sees them. */
export function macroTypings(): string {
  const tree = new Map<string, CommandName[]>();
  for (const n of MACRO_COMMANDS) {
    const ns = n.includes('.') ? n.slice(0, n.lastIndexOf('.')) : '';
    tree.set(ns, [...(tree.get(ns) ?? []), n]);
  }
  const blocks: string[] = [];
  for (const [ns, names] of tree) {
    if (ns === '') blocks.push(...names.map((n) => method(n, '  ')));
    else blocks.push(`  ${ns}: {\n${names.map((n) => method(n, '    ')).join('\n')}\n  };`);
  }
  return `// Generated from electron/api/contract.ts by electron/macros/typings.ts: do not edit.
interface FrameHandle {
  seq: number;
  widthPx: number;
  heightPx: number;
  exposureMs: number;
  timestampMs: number;
  stage: { xUm: number; yUm: number; zUm: number };
  lasersMw: Record<string, number>;
  stats: { min: number; max: number; mean: number };
  /** Pixels of a region (default: the whole frame), row-major; the last 4 snaps are held. */
  pixels(roi?: { xPx: number; yPx: number; widthPx: number; heightPx: number }): Promise<Uint16Array>;
}
declare const aquila: {
${blocks.join('\n')}
  /** A console line (info). */
  log(...args: unknown[]): void;
  /** A console line (warning). */
  warn(...args: unknown[]): void;
  /** Progress 0..1 and what is happening, shown with the macro. */
  progress(fraction: number, message?: string): void;
  /** Waits (a dry run skips the time and counts it). */
  sleep(ms: number): Promise<void>;
  /** The host's state snapshot (as every client sees it). */
  state(): Promise<any>;
  /** Waits until the MDA run or the automation run is over; its final view. */
  wait(what: 'run' | 'automation'): Promise<any>;
  /** Parameters given at start (\`--param k=v\`, macro.start params). */
  readonly params: Readonly<Record<string, string | number | boolean>>;
};
declare const console: { log(...a: unknown[]): void; info(...a: unknown[]): void; warn(...a: unknown[]): void; error(...a: unknown[]): void };
`;
}
