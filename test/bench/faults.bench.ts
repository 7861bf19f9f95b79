/**
 * `npm run bench:faults`: the faults of test/faults/, each with a larger burst and a longer
 * outage, on the service's own processes (API and worker processes as docker-compose runs them,
 * against a PostgreSQL and a Temporal they do not own). For each fault it prints the requests
 * refused while it lasted (and with which statuses), the slowest answer, the longest
 * accept-to-reply of a message caught in it, and how many messages were lost or answered twice.
 *
 *   BENCH_FAULTS      which, in order (default crash,postgres,temporal,worker)
 *   BENCH_FAULT_RATE  messages offered per second during the outages (default 30)
 *   BENCH_FAULT_OUTAGE_MS  how long PostgreSQL and Temporal stay away (default 10000)
 *   BENCH_FAULT_CRASH_MESSAGES  the burst the whole-stack SIGKILL catches (default 400)
 *
 * `worker` runs on the Temporal server with PostgreSQL persistence (two APIs, two workers), built
 * by scripts/build-temporal-server.sh on first use; the others on a Temporal dev server.
 * Prints the figures, then one JSON line.
 */
import { crashEverything, describeFigures, FaultRig, killOneWorker, killTemporal, stopPostgres, type FaultFigures } from '../support/fault-scenarios.js';

const faults = (process.env.BENCH_FAULTS ?? 'crash,postgres,temporal,worker').split(',').filter(Boolean);
const rate = Number(process.env.BENCH_FAULT_RATE ?? 30);
const outageMs = Number(process.env.BENCH_FAULT_OUTAGE_MS ?? 10_000);
const crashMessages = Number(process.env.BENCH_FAULT_CRASH_MESSAGES ?? 400);
const known = ['crash', 'postgres', 'temporal', 'worker'];
const unknown = faults.filter((f) => !known.includes(f));
if (unknown.length) throw new Error(`BENCH_FAULTS: unknown ${unknown.join(', ')} (known: ${known.join(', ')})`);

async function main(): Promise<void> {
  const results: FaultFigures[] = [];
  const report = (f: FaultFigures) => {
    results.push(f);
    console.log(['', ...describeFigures(f)].join('\n'));
  };
  const onDev = faults.filter((f) => f !== 'worker');
  if (onDev.length) {
    const rig = await FaultRig.start({ temporal: 'dev' });
    try {
      for (const fault of onDev) {
        if (fault === 'crash') report(await crashEverything(rig, { total: crashMessages, customers: 100, killAfterReplies: Math.round(crashMessages / 4) }));
        if (fault === 'postgres') report(await stopPostgres(rig, { rate, customers: 50, outageMs }));
        if (fault === 'temporal') report(await killTemporal(rig, { rate, customers: 50, outageMs }));
      }
    } finally {
      await rig.stop();
    }
  }
  if (faults.includes('worker')) {
    const rig = await FaultRig.start({ temporal: 'production', apis: 2, workers: 2 });
    try {
      report(await killOneWorker(rig, { rate, customers: 60, seconds: 20 }));
    } finally {
      await rig.stop();
    }
  }
  console.log('');
  console.log(JSON.stringify(results.map((r) => ({ ...r, lost: r.lost.length, doubled: r.doubled.length }))));
  if (results.some((r) => r.lost.length || r.doubled.length)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
