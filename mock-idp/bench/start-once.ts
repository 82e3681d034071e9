/**
 * Child process of `idp.bench.ts` for the cold-start figure: a new Node
 * process imports the IdP and starts it on existing data, prints
 * `ready <baseUrl>`, and stops when its standard input closes.
 */
import { startIdp } from '../src/index.ts';

const [dataDir, certDir] = process.argv.slice(2);
if (!dataDir || !certDir) throw new Error('usage: node bench/start-once.ts <dataDir> <certDir>');
const idp = await startIdp({ port: 0, dataDir, certDir });
process.stdout.write(`ready ${idp.baseUrl}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void idp.close();
});
