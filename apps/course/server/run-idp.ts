import { idpForRun, runningLabIdp, type LabIdp, type RunIdpOptions } from '@mcp-lab/harness';
import { idpBaseUrl } from '../src/lab/idp.ts';
import { labHome } from '../src/content/paths.ts';

/** Only the IdP `npm start` told the site about (MCP_LAB_IDP) counts as the learner's: a lock file naming another is not the IdP its pages show. */
function siteIdp(): RunIdpOptions {
  return { home: labHome(), at: idpBaseUrl() };
}

/** The IdP a check run from the site uses, found as `mcp-lab check` finds it: the learner's running one, else a private one stopped after the run. */
export function idpForSiteChecks(): Promise<LabIdp> {
  return idpForRun(siteIdp());
}

/** The learner's running IdP, for a live flow: the learner signs in there, in their browser, so no private one will do. */
export function runningIdpForSite(): LabIdp | undefined {
  return runningLabIdp(siteIdp());
}
