import { spawn } from 'node:child_process';
import { runBuildScript } from '../../worker/infra/temporal-dev-server.js';

export interface S3Server {
  endpoint: string;
  bucket: string;
  stop(): Promise<void>;
}

/**
 * A real S3-compatible server for the tests of MEDIA_STORE=s3: gofakes3 (in memory), built once
 * from the Go module proxy into ~/.cache/caty (scripts/build-gofakes3.sh), on a free loopback port.
 */
export async function startS3Server(bucket = 'caty-media'): Promise<S3Server> {
  const { path: binary, output } = await runBuildScript('scripts/build-gofakes3.sh', (line) => process.stderr.write(`${line}\n`));
  if (!binary) throw new Error(`could not build gofakes3 (scripts/build-gofakes3.sh); Go is needed once. It said:\n${output}`);
  const child = spawn(binary, ['-backend', 'memory', '-host', '127.0.0.1:0', '-initialbucket', bucket], { stdio: ['ignore', 'ignore', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`gofakes3 did not start: ${seen}`)), 15_000);
    child.stderr.on('data', (data: Buffer) => {
      seen += data.toString();
      const match = /using port: (\d+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`gofakes3 exited with ${code}: ${seen}`)));
  });
  child.stderr.resume();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
