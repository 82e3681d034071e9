import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trustLabCa } from '../src/trust-lab-ca.ts';
import { exited, startCli } from './run-cli.ts';

const labHome = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-crash-'));
afterAll(() => fs.rmSync(labHome, { recursive: true, force: true }));

describe('mcp-lab idp after kill -9', () => {
  it('keeps every committed change: a registration made just before the crash is there after a restart', async () => {
    const dataDir = path.join(labHome, 'idp');
    const first = await startCli(['idp', '--port', '0', '--data', dataDir], /^ready (https:\/\/localhost:\d+)$/m, { MCP_LAB_HOME: labHome });
    trustLabCa(path.join(labHome, 'certs', 'ca.pem'));
    const adminToken = fs.readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
    const baseUrl = first.match[1]!;
    const fault = await fetch(`${baseUrl}/_lab/admin/faults`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ fault: { kind: 'access-token-lifetime', seconds: 123 } }),
    });
    expect(fault.status).toBe(201);
    first.child.kill('SIGKILL');
    expect(await exited(first.child)).toBeNull();

    const second = await startCli(['idp', '--port', '0', '--data', dataDir], /^ready (https:\/\/localhost:\d+)$/m, { MCP_LAB_HOME: labHome });
    try {
      const list = await fetch(`${second.match[1]!}/_lab/admin/faults`, { headers: { authorization: `Bearer ${adminToken}` } });
      const { value } = (await list.json()) as { value: { fault: { kind: string; seconds?: number } }[] };
      expect(value.map((f) => f.fault)).toEqual([{ kind: 'access-token-lifetime', seconds: 123 }]);
      const info = (await (await fetch(`${second.match[1]!}/_lab/info`)).json()) as { users: unknown[] };
      expect(info.users).toHaveLength(4);
    } finally {
      second.child.kill('SIGTERM');
      await exited(second.child);
    }
  });
});
