/**
 * A tool's answer as checks read it: the shape of MCP's CallToolResult that
 * matters to them (the SDK's client types `callTool` more loosely).
 */
export interface ToolResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
}

/** The text of a tool's answer: its text blocks, one per line (other blocks add an empty line). */
export function toolText(result: ToolResult): string {
  return result.content.map((c) => c.text ?? '').join('\n');
}
