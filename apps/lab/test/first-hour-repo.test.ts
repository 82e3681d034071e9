import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@mcp-lab/harness';

/** Whether git would leave this path out of a commit (`git check-ignore`, exit 0 = ignored). */
function ignored(relative: string): boolean {
  try {
    execFileSync('git', ['check-ignore', '--no-index', '-q', relative], { cwd: REPO_ROOT, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('what a fresh clone does to a learner', () => {
  it('keeps reset’s backups and start’s half-made copies out of a graded fork, but not the working copies', () => {
    expect(ignored('work/.backup/03-confidential-client-2026-11-26T08-00-00-000Z/.env.example')).toBe(true);
    expect(ignored('work/.03-confidential-client.partial/src/server.ts')).toBe(true);
    expect(ignored('work/03-confidential-client/src/server.ts')).toBe(false);
  });

  it('reviews every dependency install script in package.json (npm warns about unreviewed ones), and the README says why', () => {
    const lock = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean }> };
    const withScripts = Object.entries(lock.packages)
      .filter(([where, entry]) => entry.hasInstallScript && where.includes('node_modules/'))
      .map(([where]) => where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(withScripts.length).toBeGreaterThan(0);
    const { allowScripts = {} } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
    for (const name of withScripts) expect(Object.keys(allowScripts), `${name} has an install script`).toContain(name);
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    for (const name of withScripts) expect(readme).toContain(name);
    expect(readme).toContain('allowScripts');
  });

  it('names the lesson lab 03 follows, in both languages, instead of "the seed"', () => {
    for (const name of ['README.md', 'README.nl.md']) {
      const text = fs.readFileSync(path.join(REPO_ROOT, 'labs', '03-confidential-client', name), 'utf8');
      expect(text, name).toContain('"Securing MCP servers with Microsoft Entra ID"');
      expect(text, name).toContain('*MCP for Beginners*');
      expect(text, name).not.toMatch(/^#+ .*seed/im);
    }
  });
});
