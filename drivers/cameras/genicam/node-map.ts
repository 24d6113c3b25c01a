/**
 * GenICam node map: features by name over a register port. Supports Integer, Float,
 * Enumeration (+EnumEntry), Command, Boolean, String, Category; IntReg, MaskedIntReg (and
 * StructReg entries), FloatReg, StringReg, Register; IntSwissKnife/SwissKnife and
 * IntConverter/Converter; pValue/pMin/pMax/pInc/pIsAvailable/pIsImplemented/pIsLocked,
 * pIndex/pAddress/pValueIndexed selectors, access modes, endianness, register caching
 * (node-store.ts). Writes are checked against Min/Max/Inc, entries and access first.
 */
import { LimitError, ProtocolError, StateError, ValidationError } from '../../errors';
import type { CameraFeatureInfo } from '../../devices';
import {
  NodeStore,
  parseNumber,
  type Access,
  type FeatureValue,
  type GenicamPort,
} from './node-store';
import { childText, childrenOf, parseGenicamXml, type XmlElement } from './xml';

export type { Access, FeatureValue, GenicamPort } from './node-store';

/** The device-level description, with GenICam's access codes and structure. */
export interface FeatureInfo extends CameraFeatureInfo {
  access: Access;
  /** Features this selector selects. */
  selects?: string[];
  /** Category members. */
  features?: string[];
}

export class NodeMap extends NodeStore {
  static fromXml(xml: Buffer | string, port: GenicamPort): NodeMap {
    return new NodeMap(parseGenicamXml(xml), port);
  }

  private async require(name: string, want: 'read' | 'write'): Promise<XmlElement> {
    const el = this.node(name);
    const access = await this.access(name);
    const ok =
      want === 'read' ? access === 'RW' || access === 'RO' : access === 'RW' || access === 'WO';
    if (!ok)
      throw new StateError(
        `camera feature ${name} is not ${want === 'read' ? 'readable' : 'writable'} now (access ${access})`,
        {
          feature: name,
          access,
        },
      );
    return el;
  }

  async getValue(name: string): Promise<FeatureValue> {
    const el = await this.require(name, 'read');
    switch (el.tag) {
      case 'Enumeration':
        return this.enumEntryName(name, await this.num(name));
      case 'Boolean':
        return (await this.num(name)) === this.onOff(el).on;
      case 'String':
      case 'StringReg':
        return this.str(name);
      case 'Register': {
        const { address, length } = await this.where(el);
        return (await this.readReg(name, el, address, length)).toString('hex');
      }
      case 'Command':
        return (await this.num(name)) === 0 ? 'done' : 'running';
      case 'Category':
        throw new ValidationError(`${name} is a category, not a value`, { feature: name });
      default:
        return this.num(name);
    }
  }

  async setValue(name: string, value: FeatureValue): Promise<void> {
    const el = await this.require(name, 'write');
    const touched = new Set<string>();
    if (el.tag === 'Enumeration') {
      if (typeof value !== 'string')
        throw new ValidationError(`${name} takes an entry name, got ${JSON.stringify(value)}`, {
          feature: name,
        });
      const entries = await this.entries(name);
      const entry = entries.find((e) => e.attrs.Name === value);
      if (!entry)
        throw new ValidationError(
          `${name} has no entry "${value}"; available: ${entries.map((e) => e.attrs.Name).join(', ')}`,
          {
            feature: name,
            value,
          },
        );
      await this.setNum(name, this.entryValue(entry), touched);
    } else if (el.tag === 'Boolean') {
      if (typeof value !== 'boolean')
        throw new ValidationError(`${name} takes true or false, got ${JSON.stringify(value)}`, {
          feature: name,
        });
      const { on, off } = this.onOff(el);
      await this.setNum(name, value ? on : off, touched);
    } else if (el.tag === 'String' || el.tag === 'StringReg') {
      if (typeof value !== 'string')
        throw new ValidationError(`${name} takes a string, got ${JSON.stringify(value)}`, {
          feature: name,
        });
      await this.setStr(name, value, touched);
    } else if (el.tag === 'Command') {
      throw new ValidationError(`${name} is a command: execute it instead`, { feature: name });
    } else {
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw new ValidationError(`${name} takes a number, got ${JSON.stringify(value)}`, {
          feature: name,
        });
      await this.checkRange(name, el, value);
      await this.setNum(name, value, touched);
    }
    this.afterWrite(touched);
  }

  async execute(name: string): Promise<void> {
    const el = await this.require(name, 'write');
    if (el.tag !== 'Command')
      throw new ValidationError(`${name} is a ${el.tag}, not a command`, { feature: name });
    const pCmd = childText(el, 'pCommandValue');
    const value =
      pCmd !== undefined
        ? await this.num(pCmd)
        : parseNumber(name, childText(el, 'CommandValue') ?? '1');
    const touched = new Set<string>();
    await this.setNum(childText(el, 'pValue') ?? this.missing(name, 'pValue'), value, touched);
    this.afterWrite(touched);
  }

  async describe(name: string): Promise<FeatureInfo> {
    const el = this.node(name);
    const info: FeatureInfo = { name, type: el.tag, access: await this.access(name) };
    const description = childText(el, 'Description') ?? childText(el, 'ToolTip');
    if (description) info.description = description;
    const unit = childText(el, 'Unit');
    if (unit) info.unit = unit;
    if (el.tag === 'Integer' || el.tag === 'Float') {
      Object.assign(info, await this.range(name, el));
    } else if (el.tag === 'Enumeration') {
      info.entries = (await this.entries(name)).map((e) => e.attrs.Name!);
    } else if (el.tag === 'Category') {
      info.features = childrenOf(el, 'pFeature').map((f) => f.text);
    }
    const selects = childrenOf(el, 'pSelected').map((s) => s.text);
    if (selects.length) info.selects = selects;
    return info;
  }

  /** Features reachable from the Root category, depth first (the device panel's list). */
  features(): string[] {
    const out: string[] = [];
    const visit = (name: string) => {
      const el = this.nodes.get(name);
      if (!el || out.includes(name)) return;
      if (el.tag !== 'Category') out.push(name);
      else for (const f of childrenOf(el, 'pFeature')) visit(f.text);
    };
    visit('Root');
    return out;
  }

  private async range(
    name: string,
    el: XmlElement,
  ): Promise<{ min: number; max: number; inc?: number }> {
    const bound = async (p: string, lit: string, dflt: number) => {
      const pv = childText(el, p);
      if (pv !== undefined) return this.num(pv);
      const v = childText(el, lit);
      return v !== undefined ? parseNumber(name, v) : dflt;
    };
    const out: { min: number; max: number; inc?: number } = {
      min: await bound('pMin', 'Min', -Number.MAX_VALUE),
      max: await bound('pMax', 'Max', Number.MAX_VALUE),
    };
    if (el.tag === 'Integer') out.inc = await bound('pInc', 'Inc', 1);
    return out;
  }

  private async checkRange(name: string, el: XmlElement, value: number): Promise<void> {
    if (el.tag !== 'Integer' && el.tag !== 'Float') return;
    const { min, max, inc } = await this.range(name, el);
    if (el.tag === 'Integer' && !Number.isInteger(value))
      throw new ValidationError(`${name} takes an integer, got ${value}`, { feature: name, value });
    if (value < min || value > max)
      throw new LimitError(
        `${name} = ${value} is out of range: the camera allows ${min} to ${max}`,
        {
          feature: name,
          value,
          min,
          max,
        },
      );
    if (inc !== undefined && inc > 1 && (value - min) % inc !== 0)
      throw new LimitError(`${name} = ${value} is not ${min} plus a multiple of ${inc}`, {
        feature: name,
        value,
        min,
        inc,
      });
  }

  private entryValue(entry: XmlElement): number {
    return parseNumber(entry.attrs.Name ?? 'EnumEntry', childText(entry, 'Value') ?? '');
  }

  private async entries(name: string): Promise<XmlElement[]> {
    const out: XmlElement[] = [];
    for (const e of childrenOf(this.node(name), 'EnumEntry')) {
      let ok = true;
      for (const p of ['pIsImplemented', 'pIsAvailable']) {
        const ref = childText(e, p);
        if (ref !== undefined && (await this.num(ref)) === 0) ok = false;
      }
      if (ok) out.push(e);
    }
    return out;
  }

  private enumEntryName(name: string, value: number): string {
    const entry = childrenOf(this.node(name), 'EnumEntry').find(
      (e) => this.entryValue(e) === value,
    );
    if (!entry)
      throw new ProtocolError(`${name} reads ${value}, which is none of its entries`, {
        feature: name,
        value,
      });
    return entry.attrs.Name!;
  }

  private onOff(el: XmlElement): { on: number; off: number } {
    const n = el.attrs.Name!;
    return {
      on: parseNumber(n, childText(el, 'OnValue') ?? '1'),
      off: parseNumber(n, childText(el, 'OffValue') ?? '0'),
    };
  }
}
