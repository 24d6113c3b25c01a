/**
 * GenICam device XML → element tree (fast-xml-parser does the XML; this keeps order,
 * attributes and text). Zipped files are unpacked first. Malformed XML throws a
 * ProtocolError naming line and column.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ProtocolError } from '../../errors';
import { isZip, unzipFirstFile } from './zip';

export interface XmlElement {
  tag: string;
  attrs: Record<string, string>;
  /** Concatenated direct text (entities and CDATA resolved, trimmed). */
  text: string;
  children: XmlElement[];
}

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

function convert(items: Ordered[]): XmlElement[] {
  const out: XmlElement[] = [];
  for (const item of items) {
    const tag = Object.keys(item).find((k) => k !== ':@');
    if (!tag || tag === '#text' || tag.startsWith('?')) continue;
    const body = item[tag] as Ordered[];
    out.push({
      tag,
      attrs: item[':@'] ?? {},
      text: body
        .filter((c) => '#text' in c)
        .map((c) => String(c['#text']))
        .join(''),
      children: convert(body),
    });
  }
  return out;
}

/** Parses the device XML (raw or zipped bytes, or a string); returns the root element. */
export function parseGenicamXml(source: Buffer | string): XmlElement {
  let text: string;
  if (typeof source === 'string') text = source;
  else text = (isZip(source) ? unzipFirstFile(source).data : source).toString('utf8');
  text = text.replace(/^\uFEFF/, '').replace(/\0+$/, '');
  const valid = XMLValidator.validate(text);
  if (valid !== true)
    throw new ProtocolError(
      `GenICam XML is malformed at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`,
      { line: valid.err.line, col: valid.err.col },
    );
  const roots = convert(parser.parse(text) as Ordered[]);
  const root = roots[0];
  if (!root || root.tag !== 'RegisterDescription')
    throw new ProtocolError(
      `GenICam XML: root element is <${root?.tag ?? 'none'}>, expected <RegisterDescription>`,
    );
  return root;
}

export function child(el: XmlElement, tag: string): XmlElement | undefined {
  return el.children.find((c) => c.tag === tag);
}

export function childText(el: XmlElement, tag: string): string | undefined {
  return child(el, tag)?.text;
}

export function childrenOf(el: XmlElement, tag: string): XmlElement[] {
  return el.children.filter((c) => c.tag === tag);
}
