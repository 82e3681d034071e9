import type { NextFunction, Request, Response } from 'express';
import { ScopeMissing, TokenRefused, type EntraAuthInfo } from './verify-token.ts';

/** Quotes a value for a WWW-Authenticate parameter (RFC 9110 quoted-string). */
function quoted(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

/**
 * Guards /mcp: a Bearer token in the Authorization header (nowhere else),
 * verified on every request. Every refusal points the client at the
 * protected-resource metadata, so it can discover where to sign in:
 * 401 `invalid_token` for no token or a bad one, 403 `insufficient_scope`
 * with the scope to ask for when the token is valid but not enough (the
 * MCP step-up). The reason is logged without the token.
 */
export function requireToken(verify: (token: string) => Promise<EntraAuthInfo>, resourceMetadataUrl: string) {
  const challenge = (params: Record<string, string>) =>
    `Bearer ${Object.entries({ ...params, resource_metadata: resourceMetadataUrl })
      .map(([k, v]) => `${k}=${quoted(v)}`)
      .join(', ')}`;
  return async (req: Request & { auth?: EntraAuthInfo }, res: Response, next: NextFunction): Promise<void> => {
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(req.header('authorization') ?? '');
    if (!match) {
      res.set('WWW-Authenticate', challenge({}));
      res.status(401).json({ error: 'invalid_token', error_description: 'This server needs a Bearer access token from Entra ID.' });
      return;
    }
    const where = `${req.method} ${req.baseUrl || req.path}`;
    try {
      req.auth = await verify(match[1]!);
      next();
    } catch (error) {
      if (error instanceof ScopeMissing) {
        console.error(`[auth] ${where}: 403 (${error.message})`);
        res.set('WWW-Authenticate', challenge({ error: 'insufficient_scope', scope: error.scope, error_description: error.message }));
        res.status(403).json({ error: 'insufficient_scope', error_description: error.message, scope: error.scope });
        return;
      }
      if (error instanceof TokenRefused) {
        console.error(`[auth] ${where}: 401 (${error.message})`);
        res.set('WWW-Authenticate', challenge({ error: 'invalid_token', error_description: error.message }));
        res.status(401).json({ error: 'invalid_token', error_description: error.message });
        return;
      }
      next(error);
    }
  };
}
