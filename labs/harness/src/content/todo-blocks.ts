import fs from 'node:fs';
import path from 'node:path';
import type TS from 'typescript';

/**
 * docs/design.md §5, TODO blocks: a starter and its solution differ only
 * where the learner works. A TODO block runs from the line with
 * `TODO(marker)` to the end of the `{…}` it stands in (the function, class or
 * object; at a file's top level, the end of the file). Import declarations may
 * differ too: the learner adds the imports their code uses. A file without
 * code is the same in both, unless it holds a TODO (the learner writes it whole).
 */

const MARKER = /TODO\([a-z0-9-]+\)/g;
const CODE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/** A starter line range (0-based, inclusive) the learner may change. */
interface Block {
  from: number;
  to: number;
}

/** One file's lines, and those that belong to import declarations. */
interface Source {
  lines: string[];
  imports: Set<number>;
  blocks: Block[];
}

// TypeScript's parser finds blocks and imports exactly (strings, template literals, regexes); loaded
// only when the content check runs, so that the CLI, which imports the harness, does not pay for it.
let typescript: typeof TS | undefined;
async function parser(): Promise<typeof TS> {
  typescript ??= (await import('typescript')).default;
  return typescript;
}

function lineOf(sf: TS.SourceFile, pos: number): number {
  return sf.getLineAndCharacterOfPosition(pos).line;
}

function parse(ts: typeof TS, file: string, text: string): Source {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lines = text.split('\n');
  const imports = new Set<number>();
  for (const statement of sf.statements) {
    if (!ts.isImportDeclaration(statement) && !ts.isImportEqualsDeclaration(statement)) continue;
    for (let line = lineOf(sf, statement.getStart(sf)); line <= lineOf(sf, statement.getEnd()); line++) imports.add(line);
  }
  const blocks: Block[] = [];
  for (const match of text.matchAll(MARKER)) {
    const at = match.index;
    // The innermost node around the marker that closes with `}`: a block, class body or object literal.
    let node: TS.Node = sf;
    let block: TS.Node = sf;
    for (;;) {
      const child = node.getChildren(sf).find((c) => c.getStart(sf) <= at && at < c.getEnd());
      if (!child) break;
      node = child;
      if (child.getText(sf).endsWith('}')) block = child;
    }
    const to = block === sf ? lines.length - 1 : lineOf(sf, block.getEnd() - 1);
    // The closing line itself stays outside: code after the block's `}` is not the learner's.
    const from = lineOf(sf, at);
    blocks.push({ from, to: block === sf || to === from ? to : to - 1 });
  }
  return { lines, imports, blocks };
}

/** The starter's lines outside TODO blocks and imports, as runs of consecutive lines (with their line numbers). */
function outsideRuns(source: Source): { line: number; text: string }[][] {
  const runs: { line: number; text: string }[][] = [[]];
  source.lines.forEach((text, line) => {
    if (source.blocks.some((b) => b.from <= line && line <= b.to)) {
      if (runs.at(-1)!.length) runs.push([]);
      return;
    }
    if (!source.imports.has(line)) runs.at(-1)!.push({ line, text });
  });
  return runs.filter((run) => run.length);
}

function matchesAt(run: { text: string }[], lines: string[], at: number): number {
  let n = 0;
  while (n < run.length && lines[at + n] === run[n]!.text) n++;
  return n;
}

/**
 * The first starter line outside a TODO block that the solution does not
 * have in the same place, or undefined when the two agree outside the blocks.
 * Each run of outside lines must appear in the solution in order (earliest
 * fit first, which finds a fit whenever one exists); a run before the first
 * block must open the file, one after the last block must close it.
 */
function firstDifference(starter: Source, solution: Source): number | undefined {
  const lines = solution.lines.filter((_, i) => !solution.imports.has(i));
  const kept = starter.lines.map((_, i) => i).filter((i) => !starter.imports.has(i));
  const runs = outsideRuns(starter);
  let at = 0;
  for (const run of runs) {
    const opens = run[0]!.line === kept[0];
    const closes = run.at(-1)!.line === kept.at(-1);
    if (closes) {
      const start = opens ? 0 : lines.length - run.length;
      if (start >= at && start + run.length === lines.length && matchesAt(run, lines, start) === run.length) return undefined;
      if (opens) return run[Math.min(matchesAt(run, lines, 0), run.length - 1)]!.line;
      // Compare from the end: the lowest line that differs.
      let n = 0;
      while (n < run.length - 1 && lines[lines.length - 1 - n] === run[run.length - 1 - n]!.text) n++;
      return run[run.length - 1 - n]!.line;
    }
    const candidates = opens ? [0] : Array.from({ length: Math.max(0, lines.length - at) }, (_, k) => at + k);
    const fit = candidates.find((start) => matchesAt(run, lines, start) === run.length);
    if (fit === undefined) return run[Math.max(0, ...candidates.map((start) => matchesAt(run, lines, start)))]!.line;
    at = fit + run.length;
  }
  return undefined;
}

/**
 * Where `starter/` and `solution/` differ outside TODO blocks: one finding per
 * file, naming the starter's file and line and the fix. `files` are the paths
 * both folders hold.
 */
export async function differencesOutsideTodoBlocks(starterDir: string, solutionDir: string, files: string[]): Promise<string[]> {
  const findings: string[] = [];
  for (const file of files) {
    const starterText = fs.readFileSync(path.join(starterDir, file), 'utf8');
    const solutionText = fs.readFileSync(path.join(solutionDir, file), 'utf8');
    if (starterText === solutionText) continue;
    const where = path.join('starter', file);
    if (!CODE.test(file)) {
      if (!starterText.match(MARKER)) {
        findings.push(`${where} differs from the solution's and has no TODO: a file without code is the same in both, or holds a TODO(<marker>) when the learner writes it whole (docs/design.md §5)`);
      }
      continue;
    }
    const ts = await parser();
    const starter = parse(ts, file, starterText);
    const solution = parse(ts, file, solutionText);
    const line = firstDifference(starter, solution);
    if (line === undefined) continue;
    findings.push(
      `${where}:${line + 1} differs from the solution outside a TODO block (${JSON.stringify(starter.lines[line]!.trim().slice(0, 80))}): ` +
        'make the line the same in starter and solution, or move the learner\'s change inside a TODO block, which runs from its TODO(<marker>) line up to the } that closes the block it stands in (docs/design.md §5)',
    );
  }
  return findings;
}
