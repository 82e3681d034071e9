import type { RunMessage } from './run-messages.ts';

/**
 * Posts to a lab route and hands on each NDJSON message of its streamed
 * answer as it arrives. A refusal (4xx/5xx with a JSON problem) becomes one
 * `problem` message, so callers handle one kind of failure.
 */
export async function readRun(url: string, body: unknown, onMessage: (message: RunMessage) => void, signal?: AbortSignal): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), ...(signal ? { signal } : {}) });
  if (!response.ok || !response.body) {
    const problem = (await response.json().catch(() => ({}))) as { error?: string; message?: string; fix?: string };
    onMessage({ type: 'problem', code: problem.error ?? String(response.status), message: problem.message ?? response.statusText, fix: problem.fix ?? '' });
    return;
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, end).trim();
      buffer = buffer.slice(end + 1);
      if (line) onMessage(JSON.parse(line) as RunMessage);
    }
  }
}
