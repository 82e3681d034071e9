import type { FlowDefinition } from './flow-model.ts';
import { PUBLIC_CLIENT_FLOW } from './public-client.ts';

/** Every lab's flow, by lab folder. Lab 03's flow is one more entry here (src/flows/confidential-client.ts). */
export const FLOWS: Readonly<Record<string, FlowDefinition>> = {
  [PUBLIC_CLIENT_FLOW.lab]: PUBLIC_CLIENT_FLOW,
};

export function flowFor(lab: string): FlowDefinition | undefined {
  return FLOWS[lab];
}
