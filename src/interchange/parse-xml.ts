/**
 * XML text to a small ordered element tree. Order matters (an MLT playlist interleaves <entry> and <blank>),
 * so the parser runs in preserveOrder mode and the result is normalised to {name, attrs, children}.
 * Documents with a DOCTYPE are refused: entity declarations are the billion-laughs attack, and none of the
 * formats we read needs one (FCPXML's <!DOCTYPE fcpxml> carries no declarations and is accepted).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { cutroomError } from '../errors.js';
import { checkTextSize, MAX_INTERCHANGE_DEPTH } from './limits.js';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated text content of this element (not of its children). */
  text: string;
}

type Ordered = Array<Record<string, unknown>>;

export function parseXmlText({ text, format }: { text: string; format: string }): XmlElement {
  checkTextSize(text, format);
  const doctype = /<!DOCTYPE[^>]*\[/i.exec(text) ?? /<!ENTITY/i.exec(text);
  if (doctype)
    throw cutroomError('INTERCHANGE_PARSE_FAILED', `${format} file declares a DOCTYPE with entities, which is refused`, {
      format,
      line: text.slice(0, doctype.index).split('\n').length,
    });
  const valid = XMLValidator.validate(text);
  if (valid !== true)
    throw cutroomError('INTERCHANGE_PARSE_FAILED', `${format} file is not well-formed XML: ${valid.err.msg}`, {
      format,
      line: valid.err.line,
      column: valid.err.col,
    });
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
    processEntities: true,
    htmlEntities: false,
  });
  const ordered = parser.parse(text) as Ordered;
  const roots = normalise(ordered, 1, format).filter((e) => !e.name.startsWith('?'));
  if (roots.length !== 1)
    throw cutroomError('INTERCHANGE_PARSE_FAILED', `${format} file has no single root element`, { format });
  return roots[0]!;
}

function normalise(nodes: Ordered, depth: number, format: string): XmlElement[] {
  if (depth > MAX_INTERCHANGE_DEPTH)
    throw cutroomError('INTERCHANGE_TOO_LARGE', `${format} file is nested more than ${MAX_INTERCHANGE_DEPTH} elements deep`, {
      format,
      limit: MAX_INTERCHANGE_DEPTH,
    });
  const out: XmlElement[] = [];
  for (const node of nodes) {
    const name = Object.keys(node).find((k) => k !== ':@');
    if (name === undefined || name === '#text' || name === '#comment') continue;
    const attrs = (node[':@'] as Record<string, string> | undefined) ?? {};
    const kids = (node[name] as Ordered | undefined) ?? [];
    const text = kids
      .filter((k) => '#text' in k)
      .map((k) => String(k['#text']))
      .join('');
    out.push({ name, attrs: { ...attrs }, children: normalise(kids, depth + 1, format), text });
  }
  return out;
}

export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

/** Escapes text and attribute values for XML output. */
export function xmlEscape(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // Control characters other than tab/newline are not allowed in XML 1.0 at all.
     
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
}
