/**
 * `npm start`: the lab's services in one terminal, stopped together with Ctrl-C —
 * the mock identity provider (https://localhost:8443) and the course site
 * (http://localhost:3000, a production build made on first start and again
 * only when its sources change).
 */
import net from 'node:net';
import { DEFAULT_PORT, PortBusyError, startIdp, type RunningIdp } from '@mcp-lab/mock-idp';
import { printUsers } from '../apps/lab/src/print-lab-info.ts';
import { ensureBuild } from '../apps/course/scripts/build.ts';
import { serveSite, type RunningSite } from '../apps/course/scripts/serve.ts';
import { isCertificateError, networkCause } from '../apps/lab/src/network-cause.ts';

async function alreadyRunning(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/_lab/health`, { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch (error) {
    // A TLS error still means something answers; /_lab/health tells whether it is ours.
    return isCertificateError(networkCause(error)?.code ?? '');
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: 'localhost' }, () => probe.close(() => resolve(true)));
  });
}

class StartError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const idpPort = Number(process.env.MCP_LAB_IDP_PORT ?? DEFAULT_PORT);
  const sitePort = Number(process.env.MCP_LAB_SITE_PORT ?? 3000);
  if (!(await portFree(sitePort))) {
    const ours = await alreadyRunning(`https://localhost:${idpPort}`);
    throw new StartError(
      ours ? 'LAB_RUNNING' : 'SITE_PORT_BUSY',
      ours
        ? `The lab is already running (https://localhost:${idpPort} and http://localhost:${sitePort}). Use that terminal, or stop it with Ctrl-C there first.`
        : `Port ${sitePort} is taken by another program, so the course site cannot start. Stop it, or start the lab with MCP_LAB_SITE_PORT=<free port> npm start.`,
    );
  }

  // The build (the slow part on a first start) runs while the IdP starts.
  // COURSE_DIST_DIR moves the build folder (the benchmark uses its own, to leave a learner's alone).
  const distDir = process.env.COURSE_DIST_DIR ?? '.next';
  const build = ensureBuild({ distDir, log: (line) => console.log(line) });
  let built = false;
  build.then(
    () => (built = true),
    () => undefined,
  );
  let idp: RunningIdp;
  try {
    idp = await startIdp({ port: idpPort });
  } catch (error) {
    if (error instanceof PortBusyError && (await alreadyRunning(`https://localhost:${idpPort}`))) {
      throw new StartError('LAB_RUNNING', `The lab is already running (https://localhost:${idpPort}). Use that terminal, or stop it with Ctrl-C there first.`);
    }
    throw error;
  }
  // A sign of life while a first build still runs: half of the lab is already there.
  if (!built) console.log(`  Identity provider ready at ${idp.baseUrl}; the course site is still building.`);

  let site: RunningSite;
  try {
    await build;
    site = await serveSite({ port: sitePort, distDir, env: { MCP_LAB_IDP: idp.baseUrl, NODE_EXTRA_CA_CERTS: idp.caCertPath } });
  } catch (error) {
    await idp.close();
    throw error;
  }

  const info = idp.info();
  console.log('MCP × Entra ID lab');
  console.log(`  Course site:                       ${site.url}`);
  console.log(`  Identity provider (mock Entra ID): ${idp.baseUrl}`);
  console.log(`  Home tenant metadata:              ${info.tenants[0]?.issuer}/.well-known/openid-configuration`);
  console.log(`  Dev CA (trust it for browsers):    ${idp.caCertPath}`);
  printUsers(info, (line) => console.log(`  ${line}`));
  console.log(`\nReady in ${((performance.now() - started) / 1000).toFixed(1)} s. Open ${site.url} to start the course. Ctrl-C stops the lab.`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    void Promise.all([site.stop(), idp.close()]).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  site.child.on('exit', (code) => {
    if (stopping) return;
    console.error(`error COURSE_SITE_EXITED: the course site stopped (exit ${code}). Stopping the lab.`);
    stopping = true;
    void idp.close().then(() => process.exit(2));
  });
}

main().catch((error: unknown) => {
  const e = error as { code?: string; message?: string };
  console.error(`error ${e.code ?? 'UNEXPECTED'}: ${e.message ?? String(error)}`);
  process.exitCode = 2;
});
