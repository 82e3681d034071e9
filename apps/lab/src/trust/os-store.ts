import type { LabCa } from './lab-ca.ts';
import { linuxStore } from './os-store-linux.ts';
import { macosStore } from './os-store-macos.ts';
import { windowsStore } from './os-store-windows.ts';
import { fixedStore, type TrustStore } from './plan.ts';

/** The operating system's own trust store, which Chrome/Edge/Safari (and Firefox on macOS/Windows) use. */
export function osTrustStore(ca: LabCa, platform: NodeJS.Platform = process.platform): TrustStore {
  switch (platform) {
    case 'linux':
      return linuxStore(ca);
    case 'darwin':
      return macosStore(ca);
    case 'win32':
      return windowsStore(ca);
    default:
      return fixedStore({
        store: `OS trust store (${platform})`,
        outcome: 'blocked',
        summary: `mcp-lab does not know how to change the trust store on ${platform}`,
        steps: [],
        fix: `Add ${ca.path} to the system's CA store by hand; Node programs can use NODE_EXTRA_CA_CERTS=${ca.path}.`,
      });
  }
}
