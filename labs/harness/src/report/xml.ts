import { xmlSafe } from './text-safety.ts';

/**
 * XML 1.0 escaping. Text and attribute values are first made legal (xmlSafe),
 * then escaped. In attributes, tab/LF/CR are written as character references:
 * a parser normalises literal ones to spaces (XML §3.3.3). In text, CR is
 * written as a reference for the same reason (§2.11 turns CRLF into LF).
 */
export function xmlText(text: string): string {
  return xmlSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

function xmlAttr(value: string): string {
  return xmlSafe(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

/** `<name a="…" b="…">` with escaped values; undefined attributes are left out. */
export function openTag(name: string, attrs: Readonly<Record<string, string | number | undefined>>, selfClose = false): string {
  const parts = Object.entries(attrs)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${xmlAttr(String(value))}"`);
  return `<${name}${parts.join('')}${selfClose ? '/>' : '>'}`;
}
