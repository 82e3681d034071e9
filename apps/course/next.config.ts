import path from 'node:path';
import type { NextConfig } from 'next';

/**
 * The course site. Everything it serves is built from files in this repo:
 * no remote images, fonts or scripts. `COURSE_DIST_DIR` lets the e2e tests keep
 * their own build next to a learner's running `npm start` (default `.next`).
 */
const config: NextConfig = {
  distDir: process.env.COURSE_DIST_DIR ?? '.next',
  images: { unoptimized: true },
  poweredByHeader: false,
  // `npm test` type-checks every package with tsc (strict); doing it again here only slows the build.
  typescript: { ignoreBuildErrors: true },
  reactStrictMode: true,
  // Plain server-side libraries (no React inside) are loaded from node_modules as they are, not bundled:
  // bundling the MDX compiler and friends was a quarter of what is left of a first build. (Mermaid, the
  // biggest, is not bundled either: the browser loads its own prebuilt modules, see load-mermaid.ts.)
  serverExternalPackages: ['@mdx-js/mdx', 'remark-gfm', 'rehype-slug', 'unist-util-visit', 'github-slugger', 'yaml', 'jose', 'zod'],
  // The workspace's node_modules live at the repository root.
  turbopack: { root: path.resolve(import.meta.dirname, '..', '..') },
  outputFileTracingRoot: path.resolve(import.meta.dirname, '..', '..'),
};

export default config;
