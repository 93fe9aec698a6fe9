// axe-core (npm) injected into the page by Playwright: every screen the e2e tests photograph is
// also checked for accessibility violations (WCAG 2.x A/AA rules and axe's best practices).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** The violations on the page as it is now, one readable line each ([] when clean). */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: unknown[] }> } }
    ).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  return (violations as AxeViolation[]).map(
    (v) =>
      `${v.id} (${v.impact ?? 'n/a'}): ${v.help} — ${v.nodes
        .slice(0, 3)
        .map((n) => JSON.stringify(n.target))
        .join(', ')}`,
  );
}

/**
 * Waits until every finite CSS animation and transition on the page has finished (a route's
 * slide, a snackbar's fade-in), whatever the machine's speed: axe measures colour contrast on
 * what is painted, and a fixed sleep before it was too short on a loaded machine. Endless
 * animations (spinners) are not waited for.
 */
export async function settled(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await new Promise((r) => requestAnimationFrame(() => r(undefined)));
    const finite = document.getAnimations().filter((a) => a.effect?.getComputedTiming().endTime !== Infinity);
    await Promise.all(finite.map((a) => a.finished.catch(() => undefined)));
  });
}

/** Fails with the list of violations on the named screen. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const found = await axeViolations(page);
  if (found.length > 0) throw new Error(`axe-core: ${found.length} violation(s) on "${screen}":\n${found.join('\n')}`);
}
