import fs from 'node:fs';
import path from 'node:path';

const ROOT_PACKAGE_NAME = 'mcp-entra-lab';

/**
 * The repository root: the nearest folder upwards whose package.json is the
 * lab's root package. Found from the working directory because Next bundles
 * server code (so `import.meta.dirname` says nothing about the source tree);
 * `next build`/`next start` run in apps/course, vitest in the root.
 */
export function repoRoot(start = process.cwd()): string {
  let dir = path.resolve(/* turbopackIgnore: true */ start);
  for (;;) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(/* turbopackIgnore: true */ dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === ROOT_PACKAGE_NAME) return dir;
    } catch {
      // no package.json here: keep looking
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the lab's repository root above ${start}: run the site from inside the repository.`);
    dir = parent;
  }
}

/** Where lessons live: `content/<lang>/…` in the course package. */
export function contentDir(root = repoRoot()): string {
  return path.join(root, 'apps', 'course', 'content');
}

/** The labs: `labs/<NN-name>/README.md` (+ `README.nl.md`); `MCP_LAB_LABS_DIR` points elsewhere, as for the CLI. */
export function labsDir(root = repoRoot()): string {
  return process.env.MCP_LAB_LABS_DIR ? path.resolve(process.env.MCP_LAB_LABS_DIR) : path.join(root, 'labs');
}

/** Mermaid's published build (`node_modules/mermaid/dist`), served to browsers as it is. */
export function mermaidDist(root = repoRoot()): string {
  return path.join(/* turbopackIgnore: true */ root, 'node_modules', 'mermaid', 'dist');
}

/** The lab's local state folder (`.lab/`), shared with the CLI and the IdP. */
export function labHome(root = repoRoot()): string {
  return process.env.MCP_LAB_HOME ? path.resolve(process.env.MCP_LAB_HOME) : path.join(root, '.lab');
}
