import { idpForRun, runningLabIdp, type GradingIdp } from '@mcp-lab/harness';
import { idpBaseUrl } from '../src/lab/idp.ts';
import { labHome } from '../src/content/paths.ts';

/**
 * The IdP a run from the site uses, found as `mcp-lab check` finds it (the
 * harness's runningLabIdp / idpForRun), but only the IdP `npm start` told the
 * site about (MCP_LAB_IDP) counts as the learner's: for checks, anything else
 * means a private one on a free port, stopped after the run. A live flow needs
 * the running one: the learner signs in there, in their browser.
 */
export async function idpForSiteRun(options: { allowPrivate: boolean }): Promise<GradingIdp | undefined> {
  const where = { home: labHome(), at: idpBaseUrl() };
  return options.allowPrivate ? idpForRun(where) : runningLabIdp(where);
}
