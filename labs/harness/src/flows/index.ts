/**
 * Lab flows as sequence diagrams (data), and the trace-to-arrow mapping the
 * course's live diagrams and the grader's report.html share. Pure: nothing
 * here touches Node, so the course's browser code imports it as it is.
 */
import type { FlowDefinition } from './flow-model.ts';
import { BEST_PRACTICES_FLOW } from './best-practices.ts';
import { CONFIDENTIAL_CLIENT_FLOW } from './confidential-client.ts';
import { PUBLIC_CLIENT_FLOW } from './public-client.ts';
import { RESOURCE_SERVER_FLOW } from './resource-server.ts';

export type { ArrowState, EventMatch, FlowArrow, FlowDefinition, FlowEvent, Lang, ProblemStage } from './flow-model.ts';
export { arrowFor, eventMatches, mapEvents, type ArrowView, type FlowView } from './map-events.ts';
export { toMermaid } from './to-mermaid.ts';
export { CONFIDENTIAL_CLIENT_FLOW } from './confidential-client.ts';
export { PUBLIC_CLIENT_FLOW } from './public-client.ts';
export { BEST_PRACTICES_FLOW } from './best-practices.ts';
export { RESOURCE_SERVER_FLOW } from './resource-server.ts';
export { fromTrace, fromExchange } from './recorded-events.ts';

/** Every lab's flow, by lab folder: adding a lab's flow is one more entry here. */
export const FLOWS: Readonly<Record<string, FlowDefinition>> = {
  [PUBLIC_CLIENT_FLOW.lab]: PUBLIC_CLIENT_FLOW,
  [CONFIDENTIAL_CLIENT_FLOW.lab]: CONFIDENTIAL_CLIENT_FLOW,
  [BEST_PRACTICES_FLOW.lab]: BEST_PRACTICES_FLOW,
  [RESOURCE_SERVER_FLOW.lab]: RESOURCE_SERVER_FLOW,
};

export function flowFor(lab: string): FlowDefinition | undefined {
  return FLOWS[lab];
}
