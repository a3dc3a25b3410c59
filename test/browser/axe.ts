import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** The project's standard: WCAG 2.1 A and AA, as axe-core tags its rules. */
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let axeSource: string | undefined;

/** One element that breaks one rule, as a reader of a failed test wants it. */
export interface AxeViolation {
  rule: string;
  impact: string | null;
  /** axe's CSS selectors for the element (more than one inside frames). */
  target: string[];
  /** What axe found, e.g. "Element has insufficient color contrast of 3.1 (…)". */
  summary: string;
}

/** The part of axe's result read here; the suite compiles without the DOM library. */
interface AxeRuleResult {
  id: string;
  impact?: string | null;
  help: string;
  nodes: {
    target: unknown[];
    failureSummary?: string;
    any: { data?: { messageKey?: string } | null }[];
  }[];
}
interface AxeResult {
  violations: AxeRuleResult[];
  incomplete: AxeRuleResult[];
}

/** The page's globals used here, typed: the suite compiles without the DOM library. */
interface AxeWindow {
  axe?: { run(context: unknown, options: unknown): Promise<AxeResult> };
  document: unknown;
  matchMedia(query: string): { matches: boolean };
}

/**
 * Text whose contrast axe could not work out (a background image or gradient, overlap,
 * a translucent colour) counts as a violation: the pages are plain colours, and each text
 * must be checked. Except a glyph such as the result page's `✓` beside its heading
 * ("nonBmp"), which is not text that 1.4.3 asks about.
 */
function undecidedContrast(incomplete: AxeRuleResult[]): AxeRuleResult[] {
  return incomplete
    .filter((rule) => rule.id === 'color-contrast')
    .map((rule) => ({
      ...rule,
      id: 'color-contrast (axe could not decide)',
      nodes: rule.nodes.filter((node) => !node.any.some((c) => c.data?.messageKey === 'nonBmp')),
    }));
}

/**
 * Loads axe into the page's document, once per document. Not `page.addScriptTag`: the
 * pages' CSP (`default-src 'none'`) refuses the inline script it adds, and a context with
 * `bypassCSP` would stop the suite checking that CSP. Playwright's `evaluate` runs over
 * the DevTools protocol, which the page's CSP does not govern.
 */
async function injectAxe(page: Page): Promise<void> {
  const present = await page.evaluate(() => typeof (globalThis as unknown as AxeWindow).axe);
  if (present !== 'undefined') return;
  axeSource ??= readFileSync(AXE_PATH, 'utf8');
  await page.evaluate(axeSource);
}

/** axe-core's WCAG 2.1 AA violations on the page as it is now, one entry per element. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await injectAxe(page);
  const result = await page.evaluate((values) => {
    const { axe, document } = globalThis as unknown as AxeWindow;
    if (!axe) throw new Error('axe-core is not loaded');
    return axe.run(document, {
      runOnly: { type: 'tag', values },
      resultTypes: ['violations', 'incomplete'],
    });
  }, WCAG_21_AA);
  const found = [...result.violations, ...undecidedContrast(result.incomplete)];
  return found.flatMap((violation) =>
    violation.nodes.map((node) => ({
      rule: violation.id,
      impact: violation.impact ?? null,
      target: node.target.map((selector) =>
        typeof selector === 'string' ? selector : JSON.stringify(selector),
      ),
      summary: `${violation.help}. ${node.failureSummary ?? ''}`.replace(/\s+/g, ' ').trim(),
    })),
  );
}

/**
 * Asserts that axe finds nothing on the page in light and in dark mode; `label` names
 * the page state in the failure. Leaves the page in the colour scheme it found.
 */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const found: Record<string, AxeViolation[]> = {};
  const wasDark = await page.evaluate(
    () => (globalThis as unknown as AxeWindow).matchMedia('(prefers-color-scheme: dark)').matches,
  );
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    found[colorScheme] = await axeViolations(page);
  }
  await page.emulateMedia({ colorScheme: wasDark ? 'dark' : 'light' });
  expect(found, `axe-core on ${label} (${page.url()})`).toEqual({ light: [], dark: [] });
}
