import fs from 'node:fs';
import path from 'node:path';
import { checkLanguage, reportWords } from '@mcp-lab/harness';
import { EXIT } from '../cli-error.ts';
import { checkOnce, labFor, render } from './check.ts';
import { workDir } from './labs.ts';

type WatchEvent = { kind: 'change'; file: string } | { kind: 'key'; key: string } | { kind: 'done' } | { kind: 'tick' };

/** An editor's save is several file events; the checks start once the folder has been quiet this long. */
const QUIET_MS = 300;

/**
 * `mcp-lab watch <lab>`: one loop over a queue of events (a file saved, a key
 * pressed, a run finished). Saves and keys that arrive while checks run are
 * not acted on then; one more run follows if anything changed meanwhile.
 */
export async function runWatch(name: string, o: { dir?: string; lang?: string }): Promise<number> {
  const lab = await labFor(name, o);
  const dir = path.resolve(o.dir ?? workDir(lab.folder));
  if (!fs.existsSync(dir)) {
    process.stderr.write(`error NO_WORK_FOLDER: ${dir} does not exist.\nfix: npm run lab -- start ${lab.folder.id}\n`);
    return EXIT.usage;
  }
  const queue: WatchEvent[] = [];
  let wake: (() => void) | undefined;
  const push = (event: WatchEvent) => {
    queue.push(event);
    wake?.();
  };
  const watcher = fs.watch(dir, { recursive: true }, (_type, file) => {
    if (file && !/(^|[/\\])(node_modules|\.cache|\.git)([/\\]|$)/.test(file)) push({ kind: 'change', file });
  });
  const stdin = process.stdin;
  const onKey = (data: Buffer) => push({ kind: 'key', key: data.toString() });
  if (stdin.isTTY) {
    stdin.setRawMode(true);
    stdin.on('data', onKey);
  }
  const print = (line: string) => process.stderr.write(`${line}\n`);
  print(reportWords(checkLanguage(o.lang)).watching(dir, Boolean(stdin.isTTY)));

  let running = false;
  let dirty = true;
  let quit = false;
  let lastChange = 0;
  const start = () => {
    running = true;
    dirty = false;
    void checkOnce(lab, { ...(o.dir ? { dir: o.dir } : {}), format: 'text' }, true)
      .then(({ result }) => print(render(result, lab.definition, 'text', undefined, checkLanguage(o.lang))))
      .catch((error: unknown) => print(`error: ${(error as Error).message}`))
      .finally(() => push({ kind: 'done' }));
  };
  process.once('SIGINT', () => {
    quit = true;
    wake?.();
  });

  while (!quit) {
    if (!running && dirty) {
      const wait = lastChange + QUIET_MS - Date.now();
      if (wait <= 0) start();
      else setTimeout(() => push({ kind: 'tick' }), wait);
    }
    if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    const event = queue.shift();
    if (!event) continue;
    if (event.kind === 'done') running = false;
    else if (event.kind === 'tick') continue;
    else if (event.kind === 'change') {
      dirty = true;
      lastChange = Date.now();
    }
    else if (!running && event.key === 'r') dirty = true;
    else if (event.key === 'q' || event.key === '\u0003') quit = true;
  }
  watcher.close();
  if (stdin.isTTY) {
    stdin.setRawMode(false);
    stdin.off('data', onKey);
    stdin.pause();
  }
  return EXIT.ok;
}
