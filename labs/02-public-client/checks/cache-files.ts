import fs from 'node:fs';
import path from 'node:path';

/**
 * What a server left in its token cache folder, as another program or user
 * on the same machine would find it.
 */

/** Every file under `dir` (relative paths, largest first: the cache itself before its key), skipping links. */
export function cacheFiles(dir: string): string[] {
  const walk = (sub: string): string[] => {
    const here = path.join(dir, sub);
    if (!fs.existsSync(here)) return [];
    return fs.readdirSync(here, { withFileTypes: true }).flatMap((e) => {
      const rel = path.join(sub, e.name);
      if (e.isSymbolicLink()) return [];
      return e.isDirectory() ? walk(rel) : e.isFile() ? [rel] : [];
    });
  };
  return walk('').sort((a, b) => fs.statSync(path.join(dir, b)).size - fs.statSync(path.join(dir, a)).size);
}

/** Files under `dir` that someone other than their owner may read or write, with their mode (e.g. `0644`). */
export function filesOpenToOthers(dir: string): { file: string; mode: string }[] {
  return cacheFiles(dir).flatMap((file) => {
    const mode = fs.statSync(path.join(dir, file)).mode & 0o777;
    return mode & 0o077 ? [{ file, mode: `0${mode.toString(8)}` }] : [];
  });
}

/** A copy of one file of `from` in the fresh folder `to`, at the same relative path: what someone who copied only that file would have. */
export function copyAlone(from: string, file: string, to: string): void {
  fs.mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
  fs.copyFileSync(path.join(from, file), path.join(to, file));
}
