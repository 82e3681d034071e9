/**
 * `npm run bench -w @mcp-lab/course` (and root `npm run bench`): the course site's figures,
 * written to the `## Course site` section of docs/performance.md.
 *
 * - `next build` time (a forced build into `.next-bench`);
 * - cold and warm `npm start` to the first lesson (fresh lab home and build folder, then again);
 * - JavaScript a lesson loads, without diagrams and with the diagram runtime (Mermaid), in Chromium;
 * - largest contentful paint of a lesson, measured by Chromium.
 * Uses its own ports, lab home and build folder, so a running `npm start` is left alone.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Page, type Response } from '@playwright/test';
import { COURSE_DIR, REPO_ROOT, ensureBuild } from '../scripts/build.ts';
import { CHROMIUM_ARGS, findChromium } from '../../../e2e/support/chromium.ts';
import { freePort, stopProcess } from '../../../e2e/support/lab-processes.ts';

const DIST = '.next-bench';

async function timeToFirstLesson(labHome: string): Promise<{ seconds: number; stop: () => Promise<void>; url: string }> {
  const [sitePort, idpPort] = [await freePort(), await freePort()];
  const url = `http://localhost:${sitePort}`;
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'scripts', 'start.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, MCP_LAB_HOME: labHome, MCP_LAB_SITE_PORT: String(sitePort), MCP_LAB_IDP_PORT: String(idpPort), COURSE_DIST_DIR: DIST },
    stdio: 'ignore',
  });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/en/01-open-front-door`);
      if (response.ok) break;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { seconds: (performance.now() - started) / 1000, stop: () => stopProcess(child), url };
}

async function scriptBytes(page: Page, url: string, drawDiagrams: boolean): Promise<{ raw: number; gzip: number }> {
  const bodies: Promise<Buffer>[] = [];
  const onResponse = (response: Response) => {
    if (response.request().resourceType() === 'script') bodies.push(response.body());
  };
  page.on('response', onResponse);
  await page.goto(url, { waitUntil: 'networkidle' });
  if (drawDiagrams) {
    for (const figure of await page.locator('figure.diagram').all()) {
      await figure.scrollIntoViewIfNeeded();
      await figure.locator('.diagram-canvas[data-state="drawn"]').waitFor();
    }
    await page.waitForLoadState('networkidle');
  }
  page.off('response', onResponse);
  const buffers = await Promise.all(bodies);
  return { raw: buffers.reduce((n, b) => n + b.length, 0), gzip: buffers.reduce((n, b) => n + gzipSync(b).length, 0) };
}

async function largestContentfulPaint(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'networkidle' });
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        new PerformanceObserver((list) => {
          const entries = list.getEntries();
          resolve(entries[entries.length - 1]?.startTime ?? Number.NaN);
        }).observe({ type: 'largest-contentful-paint', buffered: true });
      }),
  );
}

const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;

async function main(): Promise<void> {
  const labHome = fs.mkdtempSync(path.join(os.tmpdir(), 'course-bench-'));
  try {
    console.log('bench: next build (forced)…');
    const build = await ensureBuild({ distDir: DIST, force: true });

    fs.rmSync(path.join(COURSE_DIR, DIST), { recursive: true, force: true });
    fs.rmSync(labHome, { recursive: true, force: true });
    fs.mkdirSync(labHome);
    console.log('bench: cold npm start (no build, no lab state)…');
    const cold = await timeToFirstLesson(labHome);
    await cold.stop();
    console.log('bench: warm npm start…');
    const warm = await timeToFirstLesson(labHome);

    const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
    const page = await browser.newPage();
    const plain = await scriptBytes(page, `${warm.url}/en/01-open-front-door`, false);
    const withDiagram = await scriptBytes(await browser.newPage(), `${warm.url}/en/03-sign-in-flow`, true);
    const lcp: number[] = [];
    for (let i = 0; i < 5; i++) lcp.push(await largestContentfulPaint(await browser.newPage(), `${warm.url}/en/03-sign-in-flow`));
    await browser.close();
    await warm.stop();

    const median = [...lcp].sort((a, b) => a - b)[2] ?? Number.NaN;
    const rows = [
      ['`next build` (forced, 2 cores)', `${build.seconds.toFixed(1)} s`, ''],
      ['`npm start` → first lesson, cold (builds the site, new lab state)', `${cold.seconds.toFixed(1)} s`, 'aim ≤ 90 s'],
      ['`npm start` → first lesson, warm (sources unchanged)', `${warm.seconds.toFixed(1)} s`, 'aim ≤ 5 s'],
      ['JavaScript of a lesson without diagrams (lesson 1)', `${kb(plain.raw)} (${kb(plain.gzip)} gzip)`, 'first load'],
      ['JavaScript of a lesson with its diagram drawn (lesson 3)', `${kb(withDiagram.raw)} (${kb(withDiagram.gzip)} gzip)`, `diagram runtime ≈ ${kb(withDiagram.raw - plain.raw)} (${kb(withDiagram.gzip - plain.gzip)} gzip), loaded lazily`],
      ['Largest contentful paint, lesson 3 (Chromium, median of 5)', `${median.toFixed(0)} ms`, 'localhost, production build'],
    ];
    const table = ['| measure | value | note |', '|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
    console.log(table);
    writeSection(table);
  } finally {
    fs.rmSync(labHome, { recursive: true, force: true });
    fs.rmSync(path.join(COURSE_DIR, DIST), { recursive: true, force: true });
  }
}

/** Replaces only the `## Course site` section of docs/performance.md (other sections belong to other benchmarks). */
function writeSection(table: string): void {
  const file = path.join(REPO_ROOT, 'docs', 'performance.md');
  const section = `## Course site

Measured by \`npm run bench\` (\`apps/course/bench/course.bench.ts\`) on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} cores.

${table}

How: the build is forced into its own folder; "cold" starts \`npm start\` with no build and an empty lab home
(new CA, new IdP state) and stops the clock when \`/en/01-open-front-door\` answers 200; "warm" repeats it with
the build in place. Script sizes are the bodies Chromium received (uncompressed, and gzip-compressed for
comparison); Mermaid is imported only when a diagram nears the viewport, so lesson 1 never loads it.
`;
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Performance\n\nFigures from `npm run bench`. Each benchmark owns its section.\n';
  const start = current.indexOf('## Course site');
  let next: string;
  if (start < 0) next = `${current.trimEnd()}\n\n${section}`;
  else {
    const after = current.indexOf('\n## ', start + 1);
    next = `${current.slice(0, start)}${section}${after < 0 ? '' : current.slice(after)}`;
  }
  fs.writeFileSync(file, next.endsWith('\n') ? next : `${next}\n`);
}

await main();
