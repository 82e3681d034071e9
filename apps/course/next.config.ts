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
  // The workspace's node_modules live at the repository root.
  turbopack: { root: path.resolve(import.meta.dirname, '..', '..') },
  outputFileTracingRoot: path.resolve(import.meta.dirname, '..', '..'),
};

export default config;
