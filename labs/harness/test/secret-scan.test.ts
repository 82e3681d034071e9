import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeFinding, secretsInFiles, secretsInText } from '../src/index.ts';

// Secret-shaped values are made at run time, so this file holds none a secret scanner would flag.
const body = (n: number) => randomBytes(n).toString('base64url').slice(0, n);
/** Entra's shape: 3 characters, a digit, `Q~`, 34 more (40 in all). */
const entraSecret = () => `${body(3)}7Q~${body(34)}`;
/** The lab IdP's shape: 3 characters, `8Q~`, 40 more. */
const labSecret = () => `${body(3)}8Q~${body(40)}`;

describe('secretsInText', () => {
  it('finds a value shaped like an Entra client secret, and the lab IdP’s longer one', () => {
    const a = entraSecret();
    const b = labSecret();
    const found = secretsInText(`first line\nsecret: ${a}\nclient = "${b}"\n`, 'notes.md');
    expect(found.map((f) => [f.line, f.kind, f.hint])).toEqual([
      [2, 'entra-secret', a.slice(0, 3)],
      [3, 'entra-secret', b.slice(0, 3)],
    ]);
  });

  it('finds a value given to a client secret’s name in .env, JSON and YAML styles', () => {
    const text = ['CLIENT_SECRET=not-shaped-like-entra-but-real', '"clientSecret": "another-real-looking-value-123",', 'client_secret: third-value-here-abc', 'AZURE_CLIENT_SECRET=fourth.value.with.dots'].join('\n');
    expect(secretsInText(text, 'x').map((f) => [f.line, f.kind])).toEqual([
      [1, 'secret-assignment'],
      [2, 'secret-assignment'],
      [3, 'secret-assignment'],
      [4, 'secret-assignment'],
    ]);
  });

  it('leaves placeholders, empty values and code that reads the variable alone', () => {
    const text = [
      'CLIENT_SECRET=',
      'CLIENT_SECRET=<the secret value from step 5>',
      'CLIENT_SECRET=your-secret-here',
      'const CLIENT_SECRET = process.env.CLIENT_SECRET;',
      'clientSecret: ${CLIENT_SECRET}',
      '"secretText": null,',
      'CLIENT_SECRET=short',
      'a GUID is no secret: 8e500cce-b0a0-4160-8f9a-c372e00149bd',
    ].join('\n');
    expect(secretsInText(text, 'x')).toEqual([]);
  });

  it('finds a secret the IdP issued wherever it is, and calls it that', () => {
    const known = `devsecret-${body(30)}`;
    const found = secretsInText(`blah ${known} blah`, 'readme.txt', [known]);
    expect(found).toEqual([{ file: 'readme.txt', line: 1, kind: 'known-secret', hint: known.slice(0, 3) }]);
  });

  it('reports one finding per line, and a message that never holds the value', () => {
    const secret = entraSecret();
    const [finding, ...rest] = secretsInText(`CLIENT_SECRET=${secret}`, '.env');
    expect(rest).toEqual([]);
    expect(describeFinding(finding!)).toBe(`.env, line 1: a value shaped like an Entra client secret (${secret.slice(0, 3)}…)`);
    expect(describeFinding(finding!)).not.toContain(secret.slice(3));
  });
});

describe('secretsInFiles', () => {
  it('reads the files it is given (relative paths), skipping missing ones', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secret-scan-'));
    try {
      fs.mkdirSync(path.join(dir, 'sub'));
      fs.writeFileSync(path.join(dir, 'sub', 'a.env'), `CLIENT_SECRET=${labSecret()}\n`);
      fs.writeFileSync(path.join(dir, 'clean.md'), 'nothing here\n');
      const found = secretsInFiles(dir, ['sub/a.env', 'clean.md', 'gone.txt']);
      expect(found.map((f) => f.file)).toEqual(['sub/a.env']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
