import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSubmission, loadLab, startLabIdp, type CheckRecording, type CheckResult, type LabIdp } from '../src/index.ts';

const LAB03 = path.resolve(import.meta.dirname, '..', '..', '03-confidential-client');

let idp: LabIdp;
beforeAll(async () => {
  idp = await startLabIdp({ certDir: process.env.MCP_LAB_TEST_CERT_DIR! });
});
afterAll(async () => {
  await idp.close();
});

describe('onCheckEnd gets what the recording proxy saw during the check (for replays)', () => {
  it("an HTTP lab's check: its own exchanges with the learner's server, and nothing of the next check's", async () => {
    const lab = await loadLab(LAB03);
    const seen: { result: CheckResult; recorded: CheckRecording }[] = [];
    const result = await checkSubmission(lab, path.join(LAB03, 'solution'), { idp, only: ['requires-token', 'metadata'], onCheckEnd: (r, recorded) => seen.push({ result: r, recorded }) });
    expect(result.status).toBe('pass');
    expect(seen.map((s) => s.result.id)).toEqual(['requires-token', 'metadata']);
    const [first, second] = seen.map((s) => s.recorded.exchanges.map((e) => `${e.method} ${e.path.split('?')[0]} ${e.status}`));
    // requires-token: POST /mcp without a token (401), the metadata its WWW-Authenticate names, a made-up token (401).
    expect(first).toEqual(['POST /mcp 401', 'GET /.well-known/oauth-protected-resource/mcp 200', 'POST /mcp 401']);
    expect(second).toEqual(['GET /.well-known/oauth-authorization-server 200', 'GET /.well-known/oauth-protected-resource/mcp 200']);
  });
});
