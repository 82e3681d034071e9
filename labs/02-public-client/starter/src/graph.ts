/** A Microsoft Graph call refused or failed, in words the user can act on. */
export class GraphError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'GraphError';
    this.status = status;
  }
}

/** GET {GRAPH_BASE_URL}/me with the user's access token. */
export async function getMe(graphBaseUrl: string, accessToken: string): Promise<Record<string, unknown>> {
  // TODO(graph): call GET `${graphBaseUrl}/me` with the header `authorization: Bearer <accessToken>`
  // and return the JSON. Turn a 401 and a 403 into a GraphError with a message the user can act on
  // (401: the token was not accepted, sign in again; 403: User.Read missing or not consented).
  // Return the profile only, and never put the token into a message.
  throw new GraphError(501, 'get_user_details is not finished yet: see TODO(graph) in src/graph.ts.');
}
