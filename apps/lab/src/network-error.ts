import { AdminRequestError } from '@mcp-lab/harness';
import { CliError } from './cli-error.ts';
import { isCertificateError, networkCause } from './network-cause.ts';

/**
 * A failed request to the lab's IdP as a learner can act on it: the URL, what
 * went wrong underneath, and the likely cause. Undefined when the error was
 * not a network failure (an HTTP answer, a bug), so the caller rethrows it.
 */
export function explainNetworkError(url: string, error: unknown, caCertPath: string): CliError | undefined {
  // The IdP answered (its code is the admin API's, not a socket's): nothing to explain.
  if (error instanceof AdminRequestError) return undefined;
  const cause = networkCause(error);
  if (!cause) return undefined;
  if (isCertificateError(cause.code)) {
    return new CliError(
      'IDP_UNTRUSTED',
      `${url} answered with a certificate this process does not trust (${cause.code}): it was not issued by the lab CA at ${caCertPath}, or that file is missing.`,
      'Most likely the IdP there was started from another lab folder (another MCP_LAB_HOME) and has its own CA. Stop it and run `npm start` in this folder, or set MCP_LAB_HOME to that folder. `npm run lab -- doctor` shows which CA the IdP uses.',
    );
  }
  if (cause.code === 'ECONNREFUSED' || cause.code === 'ECONNRESET') {
    return new CliError(
      'IDP_NOT_RUNNING',
      `Nothing answers at ${url} (${cause.code}).`,
      'The IdP stopped (or was never started in this folder). Start it with `npm start` in another terminal and run the command again.',
    );
  }
  return new CliError('IDP_UNREACHABLE', `${url} could not be reached: ${cause.message} (${cause.code}).`, 'Check that the IdP runs (`npm start`) and that nothing between (a proxy, a firewall) blocks localhost; `npm run lab -- doctor` tests the connection.');
}
