import { fromExchange as recorded, type Exchange } from '@mcp-lab/harness';
import type { FlowEvent } from '../src/flows/flow-model.ts';
import { runnerEvent } from './flow-events.ts';

/**
 * One exchange with the lab's server, as the recording proxy saw it, with
 * secrets cut (the harness's conversion, which report.html uses too), under
 * an id of this run's runner events.
 */
export function fromExchange(exchange: Exchange): FlowEvent {
  return recorded(exchange, { id: runnerEvent('http', '').id });
}
