import type MermaidApi from 'mermaid';

/** Where the site serves Mermaid's own prebuilt ES modules (app/vendor/mermaid/[...file]/route.ts). */
export const MERMAID_ENTRY = '/vendor/mermaid/mermaid.esm.min.mjs';

/**
 * Mermaid, loaded by the browser from its published ES module build instead
 * of bundled by Next: that build is already minified and split by diagram
 * type, and bundling it again took about three quarters of a first `next
 * build` (the slow part of a learner's first `npm start`). Only diagrams
 * call this, when they come near the viewport, as before.
 */
export async function loadMermaid(): Promise<typeof MermaidApi> {
  const loaded = (await import(/* turbopackIgnore: true */ /* webpackIgnore: true */ MERMAID_ENTRY)) as { default: typeof MermaidApi };
  return loaded.default;
}
