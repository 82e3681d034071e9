/** A Microsoft Graph call refused or failed, in words the user can act on. */
export class GraphError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'GraphError';
    this.status = status;
  }
}

/** GET {GRAPH_BASE_URL}/me with the user's access token. */
export async function getMe(graphBaseUrl: string, accessToken: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${graphBaseUrl}/me`, {
    headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
  });
  if (response.ok) return (await response.json()) as Record<string, unknown>;
  const body = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
  const detail = body?.error ? ` (${[body.error.code, body.error.message].filter(Boolean).join(': ')})` : '';
  if (response.status === 401) {
    throw new GraphError(401, `Microsoft Graph did not accept the access token (401)${detail}. Sign in again: call the tool once more.`);
  }
  if (response.status === 403) {
    throw new GraphError(403, `Microsoft Graph refused access to your profile (403)${detail}. Check that the app has the delegated permission User.Read and that it was consented.`);
  }
  throw new GraphError(response.status, `Microsoft Graph answered ${response.status}${detail}.`);
}
