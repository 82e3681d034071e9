import fs from 'node:fs';

/**
 * `docs/threat-model.md` as data. Each lab has a `## <lab folder>` section
 * with one table row per security property: the attack it stops, the one
 * check that proves it, the mutants that prove the check can fail, and whose
 * code holds it (`given` or the starter's `TODO(marker)`). The content check
 * holds every lab to its section, so the page a reviewer starts from cannot
 * drift from the checks that are actually run.
 */
export interface ThreatRow {
  id: string;
  property: string;
  attack: string;
  check: string;
  mutants: string[];
  where: string;
  /** 1-based line in the file, for findings. */
  line: number;
}

const COLUMNS = { id: 'id', property: 'property', attack: 'attack it stops', check: 'check', mutants: 'mutants', where: 'where' } as const;

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((c) => c.trim());
}

const ticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.trim());

/** Every lab section of the page: lab folder → its rows (in page order). */
export function parseThreatModel(markdown: string): Map<string, ThreatRow[]> {
  const sections = new Map<string, ThreatRow[]>();
  let lab: string | undefined;
  let header: string[] | undefined;
  for (const [index, raw] of markdown.split('\n').entries()) {
    const heading = /^##\s+(\d\d-[a-z0-9-]+)\s*$/.exec(raw);
    if (heading) {
      lab = heading[1]!;
      header = undefined;
      sections.set(lab, []);
      continue;
    }
    if (/^##\s/.test(raw)) lab = undefined;
    if (!lab || !raw.trim().startsWith('|')) {
      if (!raw.trim().startsWith('|')) header = undefined;
      continue;
    }
    const row = cells(raw);
    if (!header) {
      header = row.map((c) => c.toLowerCase());
      continue;
    }
    if (row.every((c) => /^:?-+:?$/.test(c))) continue;
    const at = (name: string) => row[header!.indexOf(name)] ?? '';
    sections.get(lab)!.push({
      id: at(COLUMNS.id),
      property: at(COLUMNS.property),
      attack: at(COLUMNS.attack),
      check: ticked(at(COLUMNS.check)).join(' ') || at(COLUMNS.check),
      mutants: ticked(at(COLUMNS.mutants)),
      where: at(COLUMNS.where),
      line: index + 1,
    });
  }
  return sections;
}

export function readThreatModel(file: string): Map<string, ThreatRow[]> | undefined {
  return fs.existsSync(file) ? parseThreatModel(fs.readFileSync(file, 'utf8')) : undefined;
}

export interface LabFacts {
  id: string;
  /** A lab with a server must have a section; a lab without one may. */
  hasServer: boolean;
  checkIds: readonly string[];
  /** Mutant folder → the check its mutant.json says it breaks. */
  mutants: ReadonlyMap<string, string | undefined>;
  /** The starter's TODO markers. */
  todos: ReadonlySet<string>;
}

/**
 * What is wrong between a lab and its section of the threat model, as
 * sentences a maintainer can act on (empty: they agree).
 */
export function threatModelFindings(rows: readonly ThreatRow[] | undefined, lab: LabFacts, file = 'docs/threat-model.md'): string[] {
  const findings: string[] = [];
  if (!rows) {
    if (lab.hasServer) findings.push(`${file} has no section "## ${lab.id}": write down the lab's security properties, each with its check and mutant`);
    return findings;
  }
  if (lab.hasServer && rows.length === 0) findings.push(`${file}: the section of ${lab.id} lists no property`);
  const namedBy = new Map<string, string>();
  const ids = new Set<string>();
  for (const row of rows) {
    const at = `${file}:${row.line} (${row.id || 'row without id'})`;
    if (!row.id) findings.push(`${at}: the row has no id`);
    else if (ids.has(row.id)) findings.push(`${at}: the id ${row.id} is used twice`);
    ids.add(row.id);
    if (!row.property || !row.attack) findings.push(`${at}: say the property and the attack it stops`);
    if (!lab.checkIds.includes(row.check)) findings.push(`${at}: names check \`${row.check || '(none)'}\`, which ${lab.id} does not have (one check id per row)`);
    if (row.mutants.length === 0) findings.push(`${at}: names no mutant: without one, nothing proves the check can fail`);
    for (const mutant of row.mutants) {
      if (!lab.mutants.has(mutant)) {
        findings.push(`${at}: names mutant ${mutant}, which is not a folder under labs/${lab.id}/mutants/`);
        continue;
      }
      const breaks = lab.mutants.get(mutant);
      if (breaks !== row.check) findings.push(`${at}: mutant ${mutant} breaks \`${breaks ?? '(nothing)'}\` by its mutant.json, not this row's check \`${row.check}\``);
      const other = namedBy.get(mutant);
      if (other) findings.push(`${at}: mutant ${mutant} is already the proof of ${other}; a mutant proves one property`);
      namedBy.set(mutant, row.id);
    }
    const todo = /^TODO\(([a-z0-9-]+)\)$/.exec(row.where);
    if (row.where !== 'given' && !todo) findings.push(`${at}: "where" must be \`given\` or \`TODO(marker)\`, not "${row.where}"`);
    if (todo && !lab.todos.has(todo[1]!)) findings.push(`${at}: "where" names TODO(${todo[1]!}), which is not in the starter`);
  }
  for (const mutant of lab.mutants.keys()) {
    if (!namedBy.has(mutant)) findings.push(`${file}: mutant ${mutant} of ${lab.id} stands in no row: which property does it prove the grader protects?`);
  }
  return findings;
}
