import { chromium, type Browser } from 'playwright-core';
import { planChromium, processChromiumEnvironment } from './chromium.js';

/** Debian's chromium (`npm test` installs it when missing), driven by playwright-core, which downloads no browser. */
export async function launchChromium(): Promise<Browser> {
  const plan = planChromium(processChromiumEnvironment());
  if (plan.action !== 'use') throw new Error(plan.action === 'stop' ? plan.message : 'Chromium is missing: run the tests with `npm test` (or `npx tsx test/run.ts <files>`), which installs it, or: apt-get install -y chromium');
  // Tests run as root in CI, where Chromium refuses its sandbox.
  return chromium.launch({ executablePath: plan.path, args: ['--no-sandbox'] });
}
