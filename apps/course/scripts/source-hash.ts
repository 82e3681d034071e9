import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * What a production build of the site is made from: its own sources, the
 * harness sources it imports by relative path (the flows, the lab.json
 * reader), the lab READMEs, and the installed dependencies.
 */
export function buildInputs(repoRoot: string): string[] {
  const course = path.join(repoRoot, 'apps', 'course');
  const files: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(full);
    }
  };
  for (const dir of ['app', 'src', 'content']) walk(path.join(course, dir));
  walk(path.join(repoRoot, 'labs', 'harness', 'src'));
  for (const file of ['next.config.ts', 'package.json', 'tsconfig.json']) files.push(path.join(course, file));
  files.push(path.join(repoRoot, 'package-lock.json'));
  try {
    for (const lab of fs.readdirSync(path.join(repoRoot, 'labs'))) {
      for (const name of ['README.md', 'README.nl.md']) {
        const file = path.join(repoRoot, 'labs', lab, name);
        if (fs.existsSync(file)) files.push(file);
      }
    }
  } catch {
    // no labs yet
  }
  // Pages whose text is a document in docs/ (frontmatter `source`, e.g. the instructor guide).
  const docs = path.join(repoRoot, 'docs');
  if (fs.existsSync(docs)) for (const name of fs.readdirSync(docs)) if (name.startsWith('instructor-guide')) files.push(path.join(docs, name));
  return files.filter((f) => fs.existsSync(f)).sort();
}

/** SHA-256 over the inputs' paths and contents: equal hashes mean the last build is still right. */
export function sourceHash(repoRoot: string): string {
  const hash = createHash('sha256');
  for (const file of buildInputs(repoRoot)) {
    hash.update(path.relative(repoRoot, file).split(path.sep).join('/'));
    hash.update('\0');
    hash.update(fs.readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}
