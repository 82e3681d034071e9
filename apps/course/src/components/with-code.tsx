/** Interface text with `code spans` (commands, file names) shown as code. */
export function withCode(text: string) {
  return text.split(/(`[^`]+`)/).map((part, i) => (part.startsWith('`') && part.endsWith('`') && part.length > 1 ? <code key={i}>{part.slice(1, -1)}</code> : part));
}
