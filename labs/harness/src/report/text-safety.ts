/**
 * Making untrusted text (a submission's output, a learner's message) safe for
 * the place it is shown. A server's output may hold colour codes, cursor
 * movement, NUL bytes or broken UTF-16; a terminal would obey them and XML 1.0
 * forbids most of them.
 */

// CSI (colours, cursor), OSC (titles, hyperlinks) and two-byte escape sequences.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]/g;

/** Drops terminal escape sequences: they are noise everywhere but a terminal, and unsafe there. */
function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

// Everything XML 1.0 §2.2 does not allow as a character: C0 controls other than
// tab/LF/CR, lone surrogates, U+FFFE and U+FFFF. With the `u` flag a lone
// surrogate is one code point, so it matches here.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text an XML 1.0 document may hold: escape sequences dropped, other illegal characters shown as U+FFFD. */
export function xmlSafe(text: string): string {
  return stripAnsi(text).replace(NOT_XML, '\uFFFD');
}

// C0 controls but tab and LF, DEL, C1 controls, lone surrogates.
// eslint-disable-next-line no-control-regex
const NOT_PLAIN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Plain text for terminals and JSON consumers: CRLF/CR become LF, escape sequences and other controls are replaced. */
export function plainText(text: string): string {
  return stripAnsi(text).replace(/\r\n?/g, '\n').replace(NOT_PLAIN, '\uFFFD');
}

/**
 * At most `max` characters (code points, so a surrogate pair is never split),
 * ending in `marker` when cut. The marker counts toward the limit.
 */
export function truncate(text: string, max: number, marker: string): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const keep = Math.max(0, max - [...marker].length);
  return chars.slice(0, keep).join('') + marker;
}
