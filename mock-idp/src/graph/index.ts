/** The mock Microsoft Graph (`/graph/v1.0`): the router, and the token check for tests of it. */
export { graphRoutes, type GraphDeps } from './routes.ts';
export { graphTokenVerifier, GRAPH_AUDIENCES, CLOCK_TOLERANCE_SECONDS, TokenRejected, type VerifiedGraphToken } from './verify-graph-token.ts';
export { GRAPH_MESSAGES } from './graph-error.ts';
