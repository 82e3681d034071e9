import { startIdp } from '@mcp-lab/mock-idp';
import { EXIT } from '../cli-error.ts';
import { printUsers } from '../print-lab-info.ts';

export interface IdpOptions {
  port: number;
  data?: string;
}

/**
 * `mcp-lab idp`: only the mock IdP, until Ctrl-C. `ready <baseUrl>` is the
 * first line on stdout once it accepts requests (tools wait for that line);
 * everything meant for people goes to stderr.
 */
export async function runIdp(options: IdpOptions): Promise<number> {
  const idp = await startIdp({ port: options.port, ...(options.data ? { dataDir: options.data } : {}) });
  process.stdout.write(`ready ${idp.baseUrl}\n`);
  const info = idp.info();
  process.stderr.write(`Mock Entra ID at ${idp.baseUrl} — CA: ${idp.caCertPath}\n`);
  printUsers(info, (line) => process.stderr.write(`${line}\n`));
  process.stderr.write('Press Ctrl-C to stop.\n');

  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void idp.close().then(() => resolve(EXIT.ok));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
