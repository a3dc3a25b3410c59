/**
 * How the bot's JavaScript is built, for `npm run build` (scripts/build.js) and for the
 * bench, which runs its servers built the same way: esbuild bundles each entry into an ES
 * module with source maps. The packages the bot depends on stay in node_modules, imported
 * as they are, except drizzle-orm and zod, two ES module packages of many files: bundled,
 * because Node 22 and later look up the package scope of every module file they load, and
 * for drizzle-orm each lookup re-parses its 447-entry `exports` map, a few hundred
 * megabytes of garbage at start-up that the heap keeps; zod's unused parts are left out
 * (docs/benchmarks.md, "Idle RSS"). Type checking is `npm run typecheck`'s (esbuild only
 * strips types). Plain JavaScript: it runs before anything is compiled.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Bundled into the output rather than imported from node_modules at run time (see above). */
export const BUNDLED_PACKAGES = ['drizzle-orm', 'zod'];

/** esbuild, or null when it is not installed (`npm ci --omit=dev`). */
export async function loadEsbuild() {
  try {
    return await import(createRequire(import.meta.url).resolve('esbuild'));
  } catch {
    return null;
  }
}

/** esbuild's options for `entryPoints` into `outdir` (both from the project folder). */
export function bundleOptions(entryPoints, outdir) {
  const { dependencies } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return {
    absWorkingDir: ROOT,
    entryPoints,
    outdir,
    bundle: true,
    // Code the entries share goes into chunks of its own; a dynamic import stays lazy.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.12',
    external: Object.keys(dependencies).filter((name) => !BUNDLED_PACKAGES.includes(name)),
    sourcemap: true,
    // Stack traces need the mappings only; the sources are in the project.
    sourcesContent: false,
    logLevel: 'warning',
  };
}
