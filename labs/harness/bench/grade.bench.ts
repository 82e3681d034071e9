/**
 * Grading throughput: N copies of a lab's solution graded with --jobs 1 and
 * --jobs 2 against one private IdP, as `mcp-lab grade` does. Prints seconds
 * per submission and the speed-up. Uses the engine's fixture lab unless
 * MCP_LAB_BENCH_LAB names a lab folder with a solution/.
 * Run: node labs/harness/bench/grade.bench.ts [copies]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { checkSubmission, loadLab, startLabIdp } from '../src/index.ts';

const copies = Number(process.argv[2] ?? 20);
const labDir = process.env.MCP_LAB_BENCH_LAB ?? path.join(import.meta.dirname, '..', 'test', 'fixtures', 'labs', '90-echo');
const certDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lab-bench-certs-'));

async function main(): Promise<void> {
  const lab = await loadLab(labDir);
  const idp = await startLabIdp({ certDir });
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), fs.readFileSync(idp.caCertPath, 'utf8')]);
  const solution = path.join(labDir, 'solution');
  try {
    const rows: { jobs: number; seconds: number; perSubmission: number; allPassed: boolean }[] = [];
    for (const jobs of [1, 2]) {
      let next = 0;
      let passed = 0;
      const started = performance.now();
      const worker = async () => {
        while (next < copies) {
          const i = next++;
          const result = await checkSubmission(lab, solution, { idp, isolateApp: { label: `bench ${jobs}-${i}` } });
          if (result.status === 'pass') passed++;
        }
      };
      await Promise.all(Array.from({ length: jobs }, worker));
      const seconds = (performance.now() - started) / 1000;
      rows.push({ jobs, seconds, perSubmission: seconds / copies, allPassed: passed === copies });
    }
    console.log(`grading ${copies} copies of ${lab.manifest.id} (${lab.manifest.checks.length} checks each), Node ${process.version}, ${os.cpus().length} cores`);
    for (const r of rows) console.log(`  --jobs ${r.jobs}: ${r.seconds.toFixed(1)} s total, ${r.perSubmission.toFixed(2)} s per submission${r.allPassed ? '' : '  (NOT ALL PASSED)'}`);
    console.log(`  speed-up with 2 jobs: ${(rows[0]!.seconds / rows[1]!.seconds).toFixed(2)}×`);
    if (!rows.every((r) => r.allPassed)) process.exitCode = 1;
  } finally {
    await idp.close();
    fs.rmSync(certDir, { recursive: true, force: true });
  }
}

await main();
