import fs from 'node:fs';
import path from 'node:path';
import { registrationBeside } from '@mcp-lab/harness';

/** One learner's copy of one lab, and the registration it is graded with. */
export interface LearnerLab {
  dir: string;
  /** For checkSubmission: the learner's lab 01 manifest (lab 01 itself only holds its app ID). */
  registration?: { file: string; importIt: boolean };
}

/**
 * Where a learner's lab is in a class folder. A learner folder is a work tree
 * (`<lab>/` folders, as `work/` holds them), a clone of their repository
 * (`work/<lab>/`), or, with `--lab`, the lab's folder itself. In a work tree
 * the lab 01 manifest beside the lab is the learner's registration; a lone lab
 * folder has none, and the lab's ready-made app is used.
 */
export function learnerLab(learnerDir: string, labId: string, options: { labFolderItself: boolean }): LearnerLab | undefined {
  for (const root of [learnerDir, path.join(learnerDir, 'work')]) {
    const dir = path.join(root, labId);
    if (fs.existsSync(dir) && fs.statSync(dir).isDirectory()) {
      const registration = registrationBeside(dir, labId);
      return { dir, ...(registration ? { registration } : {}) };
    }
  }
  return options.labFolderItself ? { dir: learnerDir } : undefined;
}
