import fs from 'node:fs';
import path from 'node:path';

/** A client-secret-like value found in a file. The value itself is never kept, only its first characters (the portal's hint). */
export interface SecretFinding {
  file: string;
  line: number;
  kind: 'entra-secret' | 'secret-assignment' | 'known-secret';
  /** The first three characters, as Entra's "Certificates & secrets" blade shows them. */
  hint: string;
}

// The characters Entra (and the lab's IdP) draw client secret values from.
const SECRET_CHAR = 'A-Za-z0-9_.~-';
/**
 * Entra's client secret shape: three characters, a digit, `Q~`, then the
 * rest: 40 characters in all from Entra, 46 from the lab's IdP (a longer body).
 */
const ENTRA_SECRET = new RegExp(`(?<![${SECRET_CHAR}])[${SECRET_CHAR}]{3}\\dQ~[${SECRET_CHAR}]{31,40}(?![${SECRET_CHAR}])`, 'g');
/** `CLIENT_SECRET=…`, `"clientSecret": "…"`, `client_secret: …` — a value given to a secret's name. */
const ASSIGNMENT = /\b(?:AZURE_)?(?:CLIENT_SECRET|client_secret|clientSecret|ClientSecret)\b["']?[ \t]*[:=][ \t]*["'`]?([^\s"'`#,;]+)/g;
/** Values that only stand for a secret: examples, placeholders, code that reads one. */
const PLACEHOLDER = /^(?:$|<.*>$|\$|\{|process\.|your|todo|changeme|change-me|placeholder|example|xxx|none$|null$|undefined$|empty$|secret$|\*+$|\.\.\.|…)/i;
const MAX_FILE_BYTES = 1024 * 1024;

const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length;

/** Client-secret-like values in one text: Entra's shape, a value assigned to a secret's name, or one of `known` (secrets this IdP issued). */
export function secretsInText(text: string, file: string, known: readonly string[] = []): SecretFinding[] {
  const found = new Map<string, SecretFinding>();
  const add = (kind: SecretFinding['kind'], index: number, value: string) => {
    const line = lineOf(text, index);
    const key = `${line}:${value}`;
    if (!found.has(key)) found.set(key, { file, line, kind, hint: value.slice(0, 3) });
  };
  for (const secret of known) {
    if (secret.length < 16) continue;
    for (let i = text.indexOf(secret); i !== -1; i = text.indexOf(secret, i + 1)) add('known-secret', i, secret);
  }
  for (const m of text.matchAll(ENTRA_SECRET)) add('entra-secret', m.index, m[0]);
  for (const m of text.matchAll(ASSIGNMENT)) {
    const value = m[1] ?? '';
    if (value.length < 8 || PLACEHOLDER.test(value)) continue;
    add('secret-assignment', m.index, value);
  }
  // One finding per line is enough to act on; known secrets win over shapes.
  const byLine = new Map<number, SecretFinding>();
  for (const f of found.values()) if (!byLine.has(f.line) || f.kind === 'known-secret') byLine.set(f.line, f);
  return [...byLine.values()].sort((a, b) => a.line - b.line);
}

/** secretsInText over files (relative to `dir`); files over 1 MB and missing files are skipped. */
export function secretsInFiles(dir: string, files: readonly string[], known: readonly string[] = []): SecretFinding[] {
  return files.flatMap((file) => {
    const full = path.join(dir, file);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(full);
    } catch {
      return [];
    }
    if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return [];
    return secretsInText(fs.readFileSync(full).toString('utf8'), file, known);
  });
}

/** How a finding reads in a check's message (never the value: only its hint). */
export function describeFinding(f: SecretFinding): string {
  const what = f.kind === 'known-secret' ? 'a client secret this IdP issued' : f.kind === 'entra-secret' ? 'a value shaped like an Entra client secret' : 'a value given to a client secret';
  return `${f.file}, line ${f.line}: ${what} (${f.hint}…)`;
}
