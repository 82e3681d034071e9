import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trustLabCa } from '../src/trust-lab-ca.ts';
import { exited, runCli, startCli } from './run-cli.ts';

// A lab home of its own: the IdP makes its CA there, as on a learner's first start.
const labHome = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-cli-home-'));
const dataDir = path.join(labHome, 'idp');
afterAll(() => fs.rmSync(labHome, { recursive: true, force: true }));

describe('mcp-lab idp', () => {
  it('prints `ready <baseUrl>` once it serves, refuses a busy port with exit 2, and stops cleanly on SIGTERM', async () => {
    const { child, match } = await startCli(['idp', '--port', '0', '--data', dataDir], /^ready (https:\/\/localhost:(\d+))$/m, { MCP_LAB_HOME: labHome });
    try {
      expect(trustLabCa(path.join(labHome, 'certs', 'ca.pem'))).toBe(true);
      const baseUrl = match[1]!;
      // It really serves (the dev CA is trusted by this test worker).
      const info = (await (await fetch(`${baseUrl}/_lab/info`)).json()) as { baseUrl: string; tenants: unknown[] };
      expect(info.baseUrl).toBe(baseUrl);
      expect(info.tenants).toHaveLength(2);

      const second = await runCli(['idp', '--port', match[2]!, '--data', fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-cli-idp2-'))]);
      expect(second.code).toBe(2);
      expect(second.stdout).not.toMatch(/^ready/m);
      expect(second.stderr).toContain(`error IDP_PORT_BUSY: Port ${match[2]} is already in use`);
      expect(second.stderr).toContain('--port');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited(child)).toBe(0);
  });

  it('rejects a port that is not a number as a usage error (64)', async () => {
    const result = await runCli(['idp', '--port', 'eighty']);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain('a port is a whole number');
  });

  it('treats an unknown verb as a usage error (64)', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
  });
});
