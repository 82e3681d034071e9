import type { FlowEvent } from '../src/flows/flow-model.ts';

/** An IdP trace event as the diagrams read it: the harness's conversion, shared with report.html. */
export { fromTrace } from '@mcp-lab/harness';

let counter = 0;

/** A step the runner itself took or saw (an MCP message, a prompt to the learner, a failure). */
export function runnerEvent(type: string, summary: string, extra: Partial<FlowEvent> = {}): FlowEvent {
  counter += 1;
  return { id: `run:${counter}`, source: 'runner', type, time: new Date().toISOString(), summary, ...extra };
}
