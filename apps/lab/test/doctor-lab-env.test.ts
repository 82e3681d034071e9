import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LabInfo } from '@mcp-lab/mock-idp';
import { labEnvProblems, workEnvProblems } from '../src/doctor/lab-env.ts';

const info = {
  baseUrl: 'https://localhost:8443',
  tenants: [{ id: 'b3d1f0a2-6c4e-4f8a-9d2b-5e7c1a3f9d01', name: 'Contoso Lab', home: true, issuer: '' }],
  apps: [{ clientId: '02c11e00-0000-4000-8000-000000000002' }],
} as unknown as LabInfo;
const NEEDS = ['AUTHORITY_HOST', 'TENANT_ID', 'CLIENT_ID', 'GRAPH_BASE_URL', 'LAB_AUTH_MODE'];
const GOOD = [
  'AUTHORITY_HOST=https://localhost:8443',
  'TENANT_ID=b3d1f0a2-6c4e-4f8a-9d2b-5e7c1a3f9d01',
  'CLIENT_ID=02c11e00-0000-4000-8000-000000000002',
  'GRAPH_BASE_URL=https://localhost:8443/graph/v1.0',
].join('\n');

describe("doctor: a lab's .env", () => {
  it('finds nothing wrong with a good one', () => {
    expect(labEnvProblems(NEEDS, GOOD, info)).toEqual([]);
  });

  it('names a typo with the variable it probably meant, and a missing variable', () => {
    const text = GOOD.replace('CLIENT_ID=', 'CLEINT_ID=');
    expect(labEnvProblems(NEEDS, text, info)).toEqual(['CLEINT_ID is not a lab variable — did you mean CLIENT_ID?', 'CLIENT_ID is missing or empty']);
  });

  it('refuses an http authority and IDs this IdP does not know, naming the AADSTS error they would cause', () => {
    const text = GOOD.replace('TENANT_ID=b3d1', 'TENANT_ID=ffff').replace('CLIENT_ID=02c1', 'CLIENT_ID=ffff');
    const problems = labEnvProblems(NEEDS, `${text}\nAUTHORITY_HOST=http://localhost:8443`, info);
    expect(problems).toContain('AUTHORITY_HOST must be https (MSAL refuses http://localhost:8443)');
    const withHttps = labEnvProblems(NEEDS, text, info);
    expect(withHttps.some((p) => p.includes('AADSTS90002'))).toBe(true);
    expect(withHttps.some((p) => p.includes('AADSTS700016'))).toBe(true);
  });

  it("does not ask for lab 04's optional variables (a default, or another way to prove the server's identity), but still for its required ones", () => {
    const needs = [...NEEDS, 'ROLES_SCOPE', 'AUDIT_LOG_MAX_BYTES', 'IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'CLIENT_CERTIFICATE_FILE', 'CLIENT_SECRET'];
    expect(labEnvProblems(needs, `${GOOD}\nCLIENT_SECRET=s`, info)).toEqual(['ROLES_SCOPE is missing or empty']);
  });

  it('does not judge IDs of a real tenant (another authority host)', () => {
    const text = GOOD.replace('https://localhost:8443', 'https://login.microsoftonline.com').replace('TENANT_ID=b3d1', 'TENANT_ID=ffff');
    expect(labEnvProblems(NEEDS, text, info)).toEqual([]);
  });
});

describe('doctor: the started labs', () => {
  it('counts a started lab without a .env (lab 01 needs none), and names a lab whose .env is missing', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-work-'));
    try {
      expect(workEnvProblems(info, work).started).toEqual([]);
      fs.mkdirSync(path.join(work, '01-register-app'));
      expect(workEnvProblems(info, work)).toEqual({ started: ['01-register-app'], checked: 0, problems: [] });
      fs.mkdirSync(path.join(work, '03-confidential-client'));
      const { started, problems } = workEnvProblems(info, work);
      expect(started).toEqual(['01-register-app', '03-confidential-client']);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain('03-confidential-client has no .env');
      expect(problems[0]).toContain('npm run lab -- start 03-confidential-client');
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  it('names a CLIENT_ID used with the wrong tenant and a seeded app’s secret that this IdP does not know', () => {
    const web = { clientId: '03c0f1d0-0000-4000-8000-000000000003', name: 'MCP Lab Web Server', tenantId: 'b3d1f0a2-6c4e-4f8a-9d2b-5e7c1a3f9d01', devSecret: 'the-real-one' };
    const two = { ...info, tenants: [...info.tenants, { id: 'e8a7c6b5-4d3c-4b2a-8f1e-0d9c8b7a6f02', name: 'Fabrikam', home: false, issuer: '' }], apps: [web] } as unknown as LabInfo;
    const text = ['AUTHORITY_HOST=https://localhost:8443', 'TENANT_ID=e8a7c6b5-4d3c-4b2a-8f1e-0d9c8b7a6f02', `CLIENT_ID=${web.clientId}`, 'CLIENT_SECRET=an-old-one', 'GRAPH_BASE_URL=https://localhost:8443/graph/v1.0'].join('\n');
    const problems = labEnvProblems(['AUTHORITY_HOST', 'TENANT_ID', 'CLIENT_ID', 'CLIENT_SECRET', 'GRAPH_BASE_URL'], text, two);
    expect(problems.some((p) => p.includes('AADSTS700016') && p.includes(`set TENANT_ID=${web.tenantId}`))).toBe(true);
    expect(problems.some((p) => p.includes('AADSTS7000215'))).toBe(true);
  });
});
