/**
 * `npm test` runs this first: Chromium is found, or installed (root with apt-get), or the run stops
 * here, before the type check and the servers, with the one command to run.
 */
import { ensureChromium, processChromiumEnvironment } from './support/chromium.js';

try {
  ensureChromium(processChromiumEnvironment());
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
