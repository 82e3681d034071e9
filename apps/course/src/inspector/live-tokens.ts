/**
 * The tokens a live run saw issued (their claims: the trace never carries a
 * token), kept in the tab's sessionStorage so the token inspector can offer
 * them. Only claims, which anyone holding the token could read anyway.
 */
export interface LiveToken {
  summary: string;
  time: string;
  claims: Record<string, unknown>;
}

export const LIVE_TOKENS_KEY = 'mcp-lab.live-tokens';

export function rememberLiveTokens(tokens: readonly LiveToken[]): void {
  try {
    sessionStorage.setItem(LIVE_TOKENS_KEY, JSON.stringify(tokens.slice(-20)));
  } catch {
    // storage full or switched off: the inspector simply offers nothing
  }
}

export function parseLiveTokens(text: string | null): LiveToken[] {
  if (!text) return [];
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? (parsed as LiveToken[]).filter((t) => t && typeof t.claims === 'object') : [];
  } catch {
    return [];
  }
}
