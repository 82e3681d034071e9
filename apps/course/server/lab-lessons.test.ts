import { describe, expect, it } from 'vitest';
import { listLabs, readLabManifest } from '@mcp-lab/harness';
import { loadCourse } from '../src/content/loader.ts';

// Here, not in test/: the harness (and the IdP under it) is typechecked with Node's types only, as server/ is.
describe("the repository's labs and the course", () => {
  it("each lab manifest's `lesson` is the page the course serves for that lab", () => {
    const served = new Set(loadCourse('en').labs.map((page) => page.url));
    for (const lab of listLabs()) {
      const manifest = readLabManifest(lab);
      expect(served, `${lab.id}: its manifest says lesson ${manifest.lesson}`).toContain(manifest.lesson);
    }
  });
});
