import fs from 'node:fs';
import path from 'node:path';
import type { E2eEnv } from './e2e-env.ts';
import { REPO_ROOT } from './lab-processes.ts';

interface Mutant {
  breaks: string;
  edits: { file: string; find: string; replace: string }[];
}

/**
 * A learner's working copy in the e2e's `work/` folder: the lab's solution
 * with one of its mutants applied (labs/<lab>/mutants/<name>/mutant.json, the
 * deliberately broken copies the content check already proves are caught),
 * or with extra edits of the test's own.
 */
export function writeWorkCopy(lab: E2eEnv, labId: string, change: { mutant: string } | { edits: Mutant['edits'] }): string {
  const target = path.join(lab.workDir, labId);
  fs.rmSync(target, { recursive: true, force: true });
  fs.cpSync(path.join(REPO_ROOT, 'labs', labId, 'solution'), target, { recursive: true });
  const edits = 'mutant' in change ? (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'labs', labId, 'mutants', change.mutant, 'mutant.json'), 'utf8')) as Mutant).edits : change.edits;
  for (const edit of edits) {
    const file = path.join(target, edit.file);
    const text = fs.readFileSync(file, 'utf8');
    if (!text.includes(edit.find)) throw new Error(`${edit.file} of ${labId}'s solution no longer contains ${JSON.stringify(edit.find)}`);
    fs.writeFileSync(file, text.replace(edit.find, edit.replace));
  }
  return target;
}
