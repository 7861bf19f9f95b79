import { Runtime } from '@temporalio/worker';
import { freePort } from '../config/ports.js';

let sdkMetricsUrl: string | null = null;
let installed = false;

/**
 * Installs the Temporal SDK's runtime once per process, before any worker or native connection:
 * its logs go to `log` (warnings and errors only; the rest is noise beside our own output) and its
 * worker metrics (schedule-to-start latency, task slots, sticky cache, …) to a Prometheus endpoint
 * on a loopback port, which our /metrics reads and serves with the service's own figures.
 */
export async function installTemporalRuntime(log: (line: string) => void): Promise<void> {
  if (installed) return;
  installed = true;
  const port = await freePort();
  Runtime.install({
    logger: { trace() {}, debug() {}, info() {}, log() {}, warn: (m) => log(`temporal: ${m}`), error: (m) => log(`temporal: ${m}`) },
    telemetryOptions: {
      metrics: {
        metricPrefix: 'temporal_',
        prometheus: { bindAddress: `127.0.0.1:${port}`, useSecondsForDurations: true, countersTotalSuffix: true, unitSuffix: true },
      },
    },
  });
  sdkMetricsUrl = `http://127.0.0.1:${port}/metrics`;
}

/** The SDK's metrics in Prometheus text, or '' when this process runs no worker or they cannot be read. */
export async function temporalSdkMetrics(): Promise<string> {
  if (!sdkMetricsUrl) return '';
  try {
    const response = await fetch(sdkMetricsUrl, { signal: AbortSignal.timeout(2000) });
    return response.ok ? await response.text() : '';
  } catch {
    return '';
  }
}
