/**
 * `npm run build`, and `prepare` so that `npm ci` leaves dist/ ready for `npm start`: the
 * entries of `npm start`, `npm run rotate-key` and `npm run migrate-store` (src/main.ts,
 * rotateKey.ts, migrateStore.ts) built into dist/ as scripts/bundle.js describes, the code
 * they share in chunks beside them.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bundleOptions, loadEsbuild, ROOT } from './bundle.js';

const dist = join(ROOT, 'dist');
const esbuild = await loadEsbuild();
if (!esbuild) {
  // `npm ci --omit=dev` leaves esbuild out: a dist/ built beforehand is what runs.
  if (existsSync(join(dist, 'main.js'))) {
    process.stderr.write(
      'esbuild is not installed (--omit=dev): keeping the dist/ built before.\n',
    );
    process.exit(0);
  }
  process.stderr.write(
    'dist/ is not built and esbuild is not installed (--omit=dev). Build with `npm ci`, then\n' +
      'drop the dev dependencies with `npm prune --omit=dev` (README, "Install and start").\n',
  );
  process.exit(1);
}

// From scratch, so that a source file removed since the last build leaves nothing behind.
rmSync(dist, { recursive: true, force: true });
try {
  await esbuild.build(
    bundleOptions(
      ['main', 'rotateKey', 'migrateStore'].map((name) => `src/${name}.ts`),
      'dist',
    ),
  );
} catch {
  // esbuild has printed what failed.
  process.exit(1);
}
