import { describe, expect, it } from 'vitest';
import { withoutProtocol } from '../src/engine/check-context.ts';

describe('withoutProtocol (server output shown with a failed check)', () => {
  it('leaves out JSON-RPC lines and says how many', () => {
    const output = ['starting', '{"jsonrpc":"2.0","id":1,"result":{}}', 'signed in', ' {"jsonrpc":"2.0","method":"notifications/message","params":{}}'].join('\n');
    expect(withoutProtocol(output)).toBe('starting\nsigned in\n[2 MCP message lines left out]');
  });

  it('keeps JSON that is not JSON-RPC, broken lines and output without protocol as they are', () => {
    const output = '{"level":"info","msg":"ready"}\n{"jsonrpc":"2.0",\nplain';
    expect(withoutProtocol(output)).toBe(output);
  });
});
