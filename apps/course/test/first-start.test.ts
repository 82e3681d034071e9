import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { GET as mermaidFile } from '../app/vendor/mermaid/[...file]/route.ts';
import { buildPhase, buildProgress } from '../scripts/build-progress.ts';
import { COURSE_DIR, ensureBuild } from '../scripts/build.ts';
import { sourceHash } from '../scripts/source-hash.ts';
import { MERMAID_ENTRY } from '../src/components/load-mermaid.ts';

const get = (file: string) => mermaidFile(new Request(`http://localhost/vendor/mermaid/${file}`), { params: Promise.resolve({ file: file.split('/') }) });

/** Every source file of the site that the browser gets (what Turbopack bundles). */
function clientSources(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|tsx)$/.test(entry.name)) files.push(full);
    }
  };
  walk(path.join(COURSE_DIR, 'src'));
  walk(path.join(COURSE_DIR, 'app'));
  return files;
}

describe('the first npm start builds only what it must', () => {
  it('does not bundle Mermaid: no source imports it as a module (type imports are erased)', () => {
    const importing = clientSources().filter((file) => /import\(\s*['"]mermaid['"]\s*\)|^import (?!type )[^;]*from ['"]mermaid['"]/m.test(fs.readFileSync(file, 'utf8')));
    expect(importing.map((f) => path.relative(COURSE_DIR, f))).toEqual([]);
  });

  it('serves Mermaid’s own prebuilt modules instead: the entry the page loads and the chunks it imports, nothing else', async () => {
    expect(MERMAID_ENTRY).toBe('/vendor/mermaid/mermaid.esm.min.mjs');
    const entry = await get('mermaid.esm.min.mjs');
    expect(entry.status).toBe(200);
    expect(entry.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const text = await entry.text();
    const chunk = /from"\.\/(chunks\/mermaid\.esm\.min\/[\w.-]+\.mjs)"/.exec(text)?.[1];
    expect(chunk).toBeDefined();
    const imported = await get(chunk!);
    expect(imported.status).toBe(200);
    expect(imported.headers.get('cache-control')).toContain('immutable');
    for (const refused of ['../package.json', 'chunks/mermaid.esm.min/../../../package.json', 'mermaid.js', 'chunks/mermaid.core/x.mjs']) expect((await get(refused)).status, refused).toBe(404);
  });

  it('keeps the build’s source hash in the build folder, so a fresh lab home (MCP_LAB_HOME) does not rebuild a current build', async () => {
    const dist = '.next-hash-test';
    const dir = path.join(COURSE_DIR, dist);
    const saved = process.env.MCP_LAB_HOME;
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'BUILD_ID'), 'test');
      fs.writeFileSync(path.join(dir, 'mcp-lab-build.json'), JSON.stringify({ hash: sourceHash(path.resolve(COURSE_DIR, '..', '..')), at: new Date().toISOString() }));
      process.env.MCP_LAB_HOME = fs.mkdtempSync(path.join(COURSE_DIR, '..', '..', '.lab', 'fresh-home-'));
      expect(await ensureBuild({ distDir: dist })).toMatchObject({ built: false });
    } finally {
      if (process.env.MCP_LAB_HOME !== saved) fs.rmSync(process.env.MCP_LAB_HOME!, { recursive: true, force: true });
      process.env.MCP_LAB_HOME = saved;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 20_000);

  it('shows progress while the site builds: each phase of next build in words, and that a long phase is still running', () => {
    expect(buildPhase('   Creating an optimized production build ...')).toBe('compiling the pages and scripts');
    expect(buildPhase('\u001b[32m✓\u001b[39m Compiled successfully in 7.4s')).toBe('compiled in 7.4s');
    expect(buildPhase('  Generating static pages using 1 worker (16/33) ')).toBe('writing the pages (16 of 33)');
    expect(buildPhase('Route (app)')).toBeUndefined();

    vi.useFakeTimers();
    try {
      let clock = 0;
      const lines: string[] = [];
      const progress = buildProgress((line) => lines.push(line), { everyMs: 10_000, now: () => clock });
      clock = 1_000;
      progress.output('  Creating an optimized production build ...\n✓ Compiled succ');
      clock = 11_000;
      vi.advanceTimersByTime(10_000);
      clock = 19_000;
      progress.output('essfully in 18s\n  Generating static pages using 1 worker (0/33) ...\n');
      progress.output('  Generating static pages using 1 worker (0/33) ...\n');
      progress.stop();
      vi.advanceTimersByTime(30_000);
      expect(lines).toEqual(['    1 s  compiling the pages and scripts', '  … still compiling the pages and scripts (11 s)', '   19 s  compiled in 18s', '   19 s  writing the pages (0 of 33)']);
    } finally {
      vi.useRealTimers();
    }
  });
});
