import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient, AdminRequestError, startLabIdp, type LabIdp } from '../src/index.ts';

let idp: LabIdp;
beforeAll(async () => {
  idp = await startLabIdp({ certDir: process.env.MCP_LAB_TEST_CERT_DIR! });
});
afterAll(async () => {
  await idp.close();
});

async function refusal(call: Promise<unknown>): Promise<AdminRequestError> {
  const error = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AdminRequestError);
  return error as AdminRequestError;
}

describe('the admin API client', () => {
  it("throws the API's refusal as fields: status, code, message, fix — through LabIdp.admin too", async () => {
    const missing = await refusal(idp.admin('GET', '/apps/00000000-0000-0000-0000-000000000000'));
    expect(missing.status).toBe(404);
    expect(missing.code).toMatch(/^[A-Z_]+$/);
    expect(missing.message).not.toContain('{');
    expect(missing.fix.length).toBeGreaterThan(0);
  });

  it('lists every problem of a refused manifest in details', async () => {
    const refused = await refusal(idp.admin('POST', '/apps/import', { displayName: '', signInAudience: 'Nowhere', web: { redirectUris: ['ftp://x'] } }));
    expect(refused.status).toBe(400);
    expect(refused.details.length).toBeGreaterThan(1);
    expect(refused.details.every((d) => typeof d.message === 'string')).toBe(true);
  });

  it('answers a wrong token with the code the IdP gives it', async () => {
    const wrong = await refusal(new AdminClient(idp.baseUrl, 'not-the-token').call('GET', '/apps'));
    expect([wrong.status, wrong.code]).toEqual([401, 'ADMIN_TOKEN_INVALID']);
  });
});
