import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

// axe-core's own build, injected into the page under test (through the DevTools protocol, so a
// page's Content-Security-Policy does not stand in the way).
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's violations on the page as it is now (shadow roots included), one line each; only in
 * the element `include` selects when given (the widget on a page that is not ours).
 */
export async function axeViolations(page: Page, include?: string): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
  const context = include ? JSON.stringify({ include: [[include]] }) : 'document';
  const violations = (await page.evaluate(`axe.run(${context}, { resultTypes: ["violations"] }).then((r) => r.violations)`)) as {
    id: string;
    impact: string;
    help: string;
    nodes: { target: unknown[] }[];
  }[];
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}; at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}
