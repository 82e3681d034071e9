/**
 * A class graded as an instructor grades one: `mcp-lab grade --class DIR --all`
 * over a synthetic class — each learner a work tree with labs 01–03 — as a
 * child process, with each --jobs asked for. A learner is a solution, a
 * starter, a mutant (one of the lab's mutants) or broken (lab 01: a manifest
 * that is not JSON; labs 02 and 03: a server that never starts), in the mix
 * 40% / 20% / 30% / 10%; every learner has a registration of their own (lab
 * 01's manifest with an appId of their own). Prints the wall time, the mean and
 * longest time per submission by lab and kind, and the peak memory of the
 * grader and everything it started.
 *
 * Run: node apps/lab/bench/class.bench.ts [learners=40] [jobs=2] (jobs: a comma list, e.g. 1,2,4)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const REPO = path.resolve(import.meta.dirname, '..', '..', '..');
const LABS = ['01-register-app', '02-public-client', '03-confidential-client'] as const;
type Kind = 'solution' | 'starter' | 'mutant' | 'broken';

const learners = Number(process.argv[2] ?? 40);
const jobList = (process.argv[3] ?? '2').split(',').map(Number);

/** 10 learners in a row: 4 solutions, 2 starters, 3 mutants, 1 broken. */
function kindOf(i: number): Kind {
  const slot = i % 10;
  return slot < 4 ? 'solution' : slot < 6 ? 'starter' : slot < 9 ? 'mutant' : 'broken';
}

function mutants(lab: string): string[] {
  return fs.readdirSync(path.join(REPO, 'labs', lab, 'mutants')).sort();
}

/** The solution with a mutant's files laid over it and its edits made. */
function applyMutant(lab: string, name: string, dir: string): void {
  const folder = path.join(REPO, 'labs', lab, 'mutants', name);
  for (const entry of fs.readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name === 'mutant.json') continue;
    const from = path.join(entry.parentPath, entry.name);
    const to = path.join(dir, path.relative(folder, from));
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
  }
  const spec = JSON.parse(fs.readFileSync(path.join(folder, 'mutant.json'), 'utf8')) as { edits?: { file: string; find: string; replace: string }[] };
  for (const edit of spec.edits ?? []) {
    const file = path.join(dir, edit.file);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(edit.find, edit.replace));
  }
}

function makeClass(root: string): Map<string, Kind> {
  const kinds = new Map<string, Kind>();
  for (let i = 0; i < learners; i++) {
    const name = `learner-${String(i + 1).padStart(2, '0')}`;
    const kind = kindOf(i);
    kinds.set(name, kind);
    for (const lab of LABS) {
      const dir = path.join(root, name, lab);
      fs.cpSync(path.join(REPO, 'labs', lab, kind === 'starter' ? 'starter' : 'solution'), dir, { recursive: true });
      if (kind === 'mutant') {
        const list = mutants(lab);
        applyMutant(lab, list[i % list.length]!, dir);
      }
      if (kind === 'broken') {
        if (lab === '01-register-app') fs.writeFileSync(path.join(dir, 'app-manifest.json'), '{ "appId": ');
        else fs.writeFileSync(path.join(dir, 'src', 'server.ts'), "console.error('waiting for a database that never comes');\nsetInterval(() => {}, 1000);\n");
      }
    }
    // A registration of each learner's own: the solution's manifest under an appId of theirs.
    const manifestFile = path.join(root, name, '01-register-app', 'app-manifest.json');
    if (kind !== 'broken') {
      const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { appId: string };
      manifest.appId = `b0c1a55e-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;
      fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
    }
  }
  return kinds;
}

/** Resident memory of `pid` and every process below it, in MB (Linux /proc). */
function treeRssMb(pid: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
      rss.set(Number(entry), Number(fields[21]) * 4096);
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    total += rss.get(p) ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return total / 1024 / 1024;
}

async function grade(classDir: string, out: string, jobs: number): Promise<{ seconds: number; peakMb: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(REPO, 'apps', 'lab', 'src', 'cli.ts'), 'grade', '--class', classDir, '--all', '--jobs', String(jobs), '--out', out], {
    cwd: REPO,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let peakMb = 0;
  const sampler = setInterval(() => {
    peakMb = Math.max(peakMb, treeRssMb(child.pid!));
  }, 500);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`grade exited with ${String(code)}`);
  return { seconds: (performance.now() - started) / 1000, peakMb };
}

function perSubmission(out: string, kinds: Map<string, Kind>): string[] {
  const rows = new Map<string, number[]>();
  const scores = new Map<string, number[]>();
  for (const [name, kind] of kinds) {
    for (const lab of LABS) {
      const file = path.join(out, name, lab, 'results.json');
      if (!fs.existsSync(file)) continue;
      const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { durationMs: number; score: number; maxScore: number };
      const key = `${lab} ${kind}`;
      rows.set(key, [...(rows.get(key) ?? []), doc.durationMs / 1000]);
      scores.set(key, [...(scores.get(key) ?? []), doc.score / doc.maxScore]);
    }
  }
  return [...rows.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, seconds]) => {
      const mean = seconds.reduce((s, x) => s + x, 0) / seconds.length;
      const score = (scores.get(key)!.reduce((s, x) => s + x, 0) / seconds.length) * 100;
      return `    ${key.padEnd(36)} n=${String(seconds.length).padStart(2)}  mean ${mean.toFixed(1).padStart(5)} s  max ${Math.max(...seconds).toFixed(1).padStart(5)} s  score ${score.toFixed(0)}%`;
    });
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-class-bench-'));
  try {
    const classDir = path.join(root, 'class');
    const kinds = makeClass(classDir);
    const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
    console.log(`class of ${learners} × labs 01–03 (${[...kinds.values()].filter((k) => k === 'broken').length} broken), Node ${process.version}, ${os.cpus().length} cores, load before ${load}`);
    for (const jobs of jobList) {
      const out = path.join(root, `out-${jobs}`);
      const { seconds, peakMb } = await grade(classDir, out, jobs);
      console.log(`  --jobs ${jobs}: ${(seconds / 60).toFixed(1)} min (${seconds.toFixed(0)} s) wall, ${(seconds / (learners * LABS.length)).toFixed(1)} s per submission, peak memory ${peakMb.toFixed(0)} MB, load after ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
      console.log(`    report.html ${(fs.statSync(path.join(out, 'report.html')).size / 1024 / 1024).toFixed(1)} MB`);
      for (const line of perSubmission(out, kinds)) console.log(line);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

await main();
