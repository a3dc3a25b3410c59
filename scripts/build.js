/**
 * `npm run build`, and `prepare` so that `npm ci` leaves dist/ ready for `npm start`: src/
 * compiled to dist/ (same layout, so paths resolved from `import.meta.url` stay right) with
 * source maps. Plain JavaScript: it runs before anything is compiled, on every supported Node.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');

function findTsc() {
  try {
    return createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    return null;
  }
}

const tsc = findTsc();
if (!tsc) {
  // `npm ci --omit=dev` leaves TypeScript out: a dist/ built beforehand is what runs.
  if (existsSync(join(dist, 'main.js'))) {
    process.stderr.write(
      'TypeScript is not installed (--omit=dev): keeping the dist/ built before.\n',
    );
    process.exit(0);
  }
  process.stderr.write(
    'dist/ is not built and TypeScript is not installed (--omit=dev). Build with `npm ci`, then\n' +
      'drop the dev dependencies with `npm prune --omit=dev` (README, "Install and start").\n',
  );
  process.exit(1);
}
// From scratch, so that a source file removed since the last build leaves nothing behind.
rmSync(dist, { recursive: true, force: true });
const build = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
process.exit(build.status ?? 1);
