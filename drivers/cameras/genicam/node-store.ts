/**
 * The value layer of a GenICam node map: nodes by name, numeric and string values through
 * registers, formulas, converters and selector indexes, access modes, and the register
 * cache (unless `Cachable` is NoCache; dropped when an overlapping register is written or
 * when a node named in the register's `pInvalidator` is written). NodeMap adds the typed
 * feature API on top.
 */
import { ProtocolError, StateError, ValidationError } from '../../errors';
import { compileFormula } from './expression';
import * as reg from './registers';
import { childText, childrenOf, type XmlElement } from './xml';

export interface GenicamPort {
  read(address: number, length: number): Promise<Buffer>;
  write(address: number, data: Buffer): Promise<void>;
}

export type Access = 'RW' | 'RO' | 'WO' | 'NA' | 'NI';
export type FeatureValue = number | string | boolean;

const NODE_CONTAINERS = new Set(['RegisterDescription', 'Group']);
const INT_REGS = new Set(['IntReg', 'MaskedIntReg']);

export function parseNumber(node: string, text: string): number {
  const t = text.trim();
  const v = /^-?0x/i.test(t) ? (t.startsWith('-') ? -Number(t.slice(1)) : Number(t)) : Number(t);
  if (t === '' || !Number.isFinite(v))
    throw new ProtocolError(`GenICam node ${node}: "${text}" is not a number`);
  return v;
}

export class NodeStore {
  protected readonly nodes = new Map<string, XmlElement>();
  protected readonly locals = new Map<string, FeatureValue>();
  private readonly cache = new Map<string, { address: number; data: Buffer; node: string }>();
  private readonly invalidatedBy = new Map<string, string[]>();

  constructor(
    root: XmlElement,
    private readonly port: GenicamPort,
  ) {
    this.collect(root);
    for (const [name, el] of this.nodes)
      for (const inv of childrenOf(el, 'pInvalidator')) {
        const list = this.invalidatedBy.get(inv.text) ?? [];
        list.push(name);
        this.invalidatedBy.set(inv.text, list);
      }
  }

  protected collect(parent: XmlElement): void {
    for (const el of parent.children) {
      if (NODE_CONTAINERS.has(el.tag)) this.collect(el);
      else if (el.tag === 'StructReg')
        for (const entry of childrenOf(el, 'StructEntry')) {
          // A StructEntry is a MaskedIntReg sharing its StructReg's address and settings.
          const shared = el.children.filter(
            (c) => c.tag !== 'StructEntry' && !entry.children.some((e) => e.tag === c.tag),
          );
          this.add({ ...entry, tag: 'MaskedIntReg', children: [...shared, ...entry.children] });
        }
      else if (el.attrs.Name) this.add(el);
    }
  }

  protected add(el: XmlElement): void {
    if (this.nodes.has(el.attrs.Name!))
      throw new ProtocolError(`GenICam XML declares node ${el.attrs.Name} twice`);
    this.nodes.set(el.attrs.Name!, el);
  }

  has(name: string): boolean {
    return this.nodes.has(name);
  }

  /** Names of all nodes of the given types (all nodes when none given). */
  names(...types: string[]): string[] {
    return [...this.nodes]
      .filter(([, el]) => !types.length || types.includes(el.tag))
      .map(([n]) => n);
  }

  node(name: string): XmlElement {
    const el = this.nodes.get(name);
    if (!el) throw new ValidationError(`unknown camera feature "${name}"`, { feature: name });
    return el;
  }

  /** Drops every cached register value (after the device may have changed on its own). */
  invalidate(): void {
    this.cache.clear();
  }

  async access(name: string): Promise<Access> {
    const el = this.node(name);
    const impl = childText(el, 'pIsImplemented');
    if (impl !== undefined && (await this.num(impl)) === 0) return 'NI';
    const avail = childText(el, 'pIsAvailable');
    if (avail !== undefined && (await this.num(avail)) === 0) return 'NA';
    let base: Access;
    const pValue = childText(el, 'pValue');
    if (el.tag.endsWith('Reg') || el.tag === 'Register')
      base = (childText(el, 'AccessMode') as Access | undefined) ?? 'RO';
    else if (el.tag.endsWith('SwissKnife') || el.tag === 'Category') base = 'RO';
    else if (pValue !== undefined) base = await this.access(pValue);
    else {
      const indexed = await this.indexed(el);
      base = indexed?.ref !== undefined ? await this.access(indexed.ref) : 'RW';
    }
    const imposed = childText(el, 'ImposedAccessMode') as Access | undefined;
    if (imposed && base === 'RW' && (imposed === 'RO' || imposed === 'WO')) base = imposed;
    const locked = childText(el, 'pIsLocked');
    if (base === 'RW' && locked !== undefined && (await this.num(locked)) !== 0) base = 'RO';
    return base;
  }

  protected missing(name: string, what: string): never {
    throw new ProtocolError(`GenICam node ${name} has no ${what}`, { feature: name });
  }

  protected codec(el: XmlElement, length: number): reg.IntCodec {
    return {
      length,
      signed: childText(el, 'Sign') === 'Signed',
      endianness: childText(el, 'Endianess') === 'BigEndian' ? 'BigEndian' : 'LittleEndian',
    };
  }

  /** Register address: sum of Address and pAddress, plus pIndex × Offset (selectors). */
  protected async where(el: XmlElement): Promise<{ address: number; length: number }> {
    const name = el.attrs.Name!;
    let address = 0;
    for (const c of el.children) {
      if (c.tag === 'Address') address += parseNumber(name, c.text);
      else if (c.tag === 'pAddress') address += await this.num(c.text);
      else if (c.tag === 'pIndex') {
        const offset =
          c.attrs.pOffset !== undefined
            ? await this.num(c.attrs.pOffset)
            : parseNumber(name, c.attrs.Offset ?? '0');
        address += (await this.num(c.text)) * offset;
      }
    }
    const pLength = childText(el, 'pLength');
    const length =
      pLength !== undefined
        ? await this.num(pLength)
        : parseNumber(name, childText(el, 'Length') ?? this.missing(name, 'Length'));
    return { address, length };
  }

  protected async readReg(
    name: string,
    el: XmlElement,
    address: number,
    length: number,
  ): Promise<Buffer> {
    const key = `${address}:${length}`;
    const hit = this.cache.get(key);
    if (hit) return hit.data;
    const data = await this.port.read(address, length);
    if (data.length !== length)
      throw new ProtocolError(
        `${name}: read ${data.length} bytes at 0x${address.toString(16)}, expected ${length}`,
      );
    if (childText(el, 'Cachable') !== 'NoCache') this.cache.set(key, { address, data, node: name });
    return data;
  }

  protected async writeReg(
    name: string,
    address: number,
    data: Buffer,
    touched: Set<string>,
  ): Promise<void> {
    touched.add(name);
    for (const [key, c] of this.cache)
      if (c.address < address + data.length && address < c.address + c.data.length)
        this.cache.delete(key);
    await this.port.write(address, data);
  }

  protected afterWrite(touched: Set<string>): void {
    const stale = new Set<string>();
    for (const t of touched) for (const n of this.invalidatedBy.get(t) ?? []) stale.add(n);
    if (!stale.size) return;
    for (const [key, c] of this.cache) if (stale.has(c.node)) this.cache.delete(key);
  }

  protected formulaVars(
    el: XmlElement,
    extra: Record<string, number>,
  ): (v: string) => Promise<number> {
    return async (v) => {
      if (v in extra) return extra[v]!;
      const p = el.children.find((c) => c.tag === 'pVariable' && c.attrs.Name === v);
      if (p) return this.num(p.text);
      const constant = el.children.find((c) => c.tag === 'Constant' && c.attrs.Name === v);
      if (constant) return parseNumber(v, constant.text);
      const expression = el.children.find((c) => c.tag === 'Expression' && c.attrs.Name === v);
      if (expression) return this.evalFormula(el, expression.text, extra);
      throw new ProtocolError(
        `GenICam node ${el.attrs.Name}: formula variable ${v} is not declared`,
      );
    };
  }

  protected async evalFormula(
    el: XmlElement,
    source: string,
    extra: Record<string, number> = {},
  ): Promise<number> {
    const formula = compileFormula(source);
    const lookup = this.formulaVars(el, extra);
    const values = new Map<string, number>();
    for (const v of formula.variables) values.set(v, await lookup(v));
    return formula.evaluate((v) => values.get(v)!, el.tag.startsWith('Int'));
  }

  /** The numeric value of any value node (enumerations: the entry value; booleans: 0/1). */
  async num(name: string): Promise<number> {
    const el = this.node(name);
    const pValue = childText(el, 'pValue');
    switch (el.tag) {
      case 'IntReg':
      case 'MaskedIntReg':
      case 'FloatReg': {
        const { address, length } = await this.where(el);
        const data = await this.readReg(name, el, address, length);
        if (el.tag === 'FloatReg')
          return reg.decodeFloat(name, data, this.codec(el, length).endianness);
        if (el.tag === 'IntReg') return reg.decodeInt(data, this.codec(el, length));
        const [lsb, msb] = this.bits(el);
        return reg.decodeMasked(data, this.codec(el, length), lsb, msb);
      }
      case 'IntSwissKnife':
      case 'SwissKnife':
        return this.evalFormula(el, childText(el, 'Formula') ?? this.missing(name, 'Formula'));
      case 'IntConverter':
      case 'Converter':
        return this.evalFormula(
          el,
          childText(el, 'FormulaFrom') ?? this.missing(name, 'FormulaFrom'),
          {
            TO: await this.num(pValue ?? this.missing(name, 'pValue')),
          },
        );
      case 'Boolean':
        if (pValue === undefined)
          return Number(this.locals.get(name) ?? childText(el, 'Value') === 'true');
        return this.num(pValue);
      default: {
        if (pValue !== undefined) return this.num(pValue);
        const indexed = await this.indexed(el);
        if (indexed?.ref !== undefined) return this.num(indexed.ref);
        const local = this.locals.get(indexed?.key ?? name);
        if (typeof local === 'number') return local;
        const literal = indexed ? indexed.literal : childText(el, 'Value');
        return parseNumber(name, literal ?? this.missing(name, 'Value or pValue'));
      }
    }
  }

  protected bits(el: XmlElement): [number, number] {
    const n = el.attrs.Name!;
    const bit = childText(el, 'Bit');
    if (bit !== undefined) return [parseNumber(n, bit), parseNumber(n, bit)];
    return [
      parseNumber(n, childText(el, 'LSB') ?? '0'),
      parseNumber(n, childText(el, 'MSB') ?? '0'),
    ];
  }

  protected async setNum(name: string, value: number, touched: Set<string>): Promise<void> {
    const el = this.node(name);
    touched.add(name);
    const pValue = childText(el, 'pValue');
    if (INT_REGS.has(el.tag) || el.tag === 'FloatReg') {
      const { address, length } = await this.where(el);
      const codec = this.codec(el, length);
      let data: Buffer;
      if (el.tag === 'FloatReg') data = reg.encodeFloat(name, value, length, codec.endianness);
      else if (el.tag === 'IntReg') data = reg.encodeInt(name, value, codec);
      else {
        const [lsb, msb] = this.bits(el);
        const old = await this.readReg(name, el, address, length);
        data = reg.encodeMasked(name, old, value, codec, lsb, msb);
      }
      await this.writeReg(name, address, data, touched);
    } else if (el.tag === 'IntConverter' || el.tag === 'Converter') {
      const raw = await this.evalFormula(
        el,
        childText(el, 'FormulaTo') ?? this.missing(name, 'FormulaTo'),
        { FROM: value },
      );
      await this.setNum(pValue ?? this.missing(name, 'pValue'), raw, touched);
    } else if (el.tag.endsWith('SwissKnife')) {
      throw new StateError(`${name} is computed (${el.tag}) and cannot be written`, {
        feature: name,
      });
    } else if (pValue !== undefined) {
      await this.setNum(pValue, value, touched);
    } else {
      const indexed = await this.indexed(el);
      if (indexed?.ref !== undefined) await this.setNum(indexed.ref, value, touched);
      else this.locals.set(indexed?.key ?? name, value);
    }
  }

  /**
   * Selector-indexed values (`pIndex` on a value node with `ValueIndexed`/`pValueIndexed`
   * and `ValueDefault`/`pValueDefault`): the entry for the index node's current value.
   * null when the node is not indexed.
   */
  protected async indexed(
    el: XmlElement,
  ): Promise<{ ref?: string; literal?: string; key: string } | null> {
    const pIndex = childText(el, 'pIndex');
    if (pIndex === undefined || el.tag.endsWith('Reg')) return null;
    const name = el.attrs.Name!;
    const index = await this.num(pIndex);
    const key = `${name}[${index}]`;
    const hit = el.children.find(
      (c) =>
        (c.tag === 'pValueIndexed' || c.tag === 'ValueIndexed') &&
        parseNumber(name, c.attrs.Index ?? '') === index,
    );
    if (hit)
      return hit.tag === 'pValueIndexed' ? { ref: hit.text, key } : { literal: hit.text, key };
    const pDefault = childText(el, 'pValueDefault');
    if (pDefault !== undefined) return { ref: pDefault, key };
    return { literal: childText(el, 'ValueDefault'), key };
  }

  protected async str(name: string): Promise<string> {
    const el = this.node(name);
    if (el.tag === 'StringReg') {
      const { address, length } = await this.where(el);
      return reg.decodeString(await this.readReg(name, el, address, length));
    }
    const pValue = childText(el, 'pValue');
    if (pValue !== undefined) return this.str(pValue);
    const local = this.locals.get(name);
    return typeof local === 'string' ? local : (childText(el, 'Value') ?? '');
  }

  protected async setStr(name: string, value: string, touched: Set<string>): Promise<void> {
    const el = this.node(name);
    touched.add(name);
    if (el.tag === 'StringReg') {
      const { address, length } = await this.where(el);
      await this.writeReg(name, address, reg.encodeString(name, value, length), touched);
      return;
    }
    const pValue = childText(el, 'pValue');
    if (pValue !== undefined) await this.setStr(pValue, value, touched);
    else this.locals.set(name, value);
  }
}
