/**
 * `npm start`: the lab's services in one terminal, stopped together with Ctrl-C.
 * Today that is the mock identity provider; the course site joins it when it lands.
 */
import { DEFAULT_PORT, PortBusyError, startIdp } from '@mcp-lab/mock-idp';
import { printUsers } from '../apps/lab/src/print-lab-info.ts';

async function alreadyRunning(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/_lab/health`, { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch (error) {
    // A TLS error still means something answers; /_lab/health tells whether it is ours.
    return /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(String((error as { cause?: { code?: string } }).cause?.code ?? ''));
  }
}

async function main(): Promise<void> {
  const port = Number(process.env.MCP_LAB_IDP_PORT ?? DEFAULT_PORT);
  let idp;
  try {
    idp = await startIdp({ port });
  } catch (error) {
    if (error instanceof PortBusyError && (await alreadyRunning(`https://localhost:${port}`))) {
      console.error(`The lab is already running (https://localhost:${port}). Use that terminal, or stop it with Ctrl-C there first.`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  const info = idp.info();
  console.log('MCP × Entra ID lab');
  console.log(`  Identity provider (mock Entra ID): ${idp.baseUrl}`);
  console.log(`  Home tenant metadata:              ${info.tenants[0]?.issuer}/.well-known/openid-configuration`);
  console.log(`  Dev CA (trust it for browsers):    ${idp.caCertPath}`);
  printUsers(info, (line) => console.log(`  ${line}`));
  console.log('\nNext: `npm run lab -- token --user alice --scope User.Read` gets a real token. Ctrl-C stops the lab.');

  const stop = () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    console.log('\nStopping…');
    void idp.close();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const e = error as { code?: string; message?: string };
  console.error(`error ${e.code ?? 'UNEXPECTED'}: ${e.message ?? String(error)}`);
  process.exitCode = 2;
});
