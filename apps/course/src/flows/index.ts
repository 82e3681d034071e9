import type { FlowDefinition } from './flow-model.ts';
import { CONFIDENTIAL_CLIENT_FLOW } from './confidential-client.ts';
import { PUBLIC_CLIENT_FLOW } from './public-client.ts';

/** Every lab's flow, by lab folder: adding a lab's flow is one more entry here. */
export const FLOWS: Readonly<Record<string, FlowDefinition>> = {
  [PUBLIC_CLIENT_FLOW.lab]: PUBLIC_CLIENT_FLOW,
  [CONFIDENTIAL_CLIENT_FLOW.lab]: CONFIDENTIAL_CLIENT_FLOW,
};

export function flowFor(lab: string): FlowDefinition | undefined {
  return FLOWS[lab];
}
