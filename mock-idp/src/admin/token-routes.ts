import express, { type Router } from 'express';
import type { LabContext } from '../protocol/lab-context.ts';
import { MintError, MintRequest, mintToken } from '../protocol/mint-token.ts';
import { fingerprint } from '../trace/fingerprint.ts';
import { sendAdminError, zodProblem } from './admin-problem.ts';

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** `POST /_lab/admin/tokens`: a test token made to order (lab only). */
export function tokenRoutes(lab: LabContext, baseUrl: () => string): Router {
  const router = express.Router();
  router.post('/', async (req, res) => {
    const parsed = MintRequest.safeParse(req.body);
    if (!parsed.success) return sendAdminError(res, 400, zodProblem(parsed.error, 'See docs/admin-api.md#test-tokens.'));
    try {
      const { token, claims } = await mintToken(lab, baseUrl(), parsed.data);
      lab.trace.emit({
        type: 'token.minted',
        summary: `test token minted for ${text(claims.preferred_username) ?? text(claims.azp) ?? 'an app'} → ${text(claims.aud) ?? '?'}`,
        ...(text(claims.tid) ? { tenantId: text(claims.tid) } : {}),
        ...(text(claims.azp) ? { clientId: text(claims.azp) } : {}),
        fingerprints: { accessToken: fingerprint(token) },
        claims,
      });
      res.status(201).json({ access_token: token, token_type: 'Bearer', claims });
    } catch (error) {
      if (error instanceof MintError) return sendAdminError(res, 400, { code: error.code, message: error.message, fix: error.fix });
      throw error;
    }
  });
  return router;
}
