import { join } from 'node:path';
import { bundleOptions, loadEsbuild, ROOT } from '../../scripts/bundle.js';

/** Where the bench's compiled servers go: inside the project, so that node_modules resolves. */
const OUT = join(ROOT, 'node_modules', '.cache', 'okta-connect-bench');
const built = new Map<string, Promise<string>>();

/**
 * `script` (a server of bench/servers) built as `npm run build` builds the bot (esbuild,
 * drizzle-orm and zod bundled, the other packages from node_modules), so that the bench
 * runs what `npm start` runs, with plain node and no transpiler; the path of the output.
 * Built once per run.
 */
export function compiledServer(script: string): Promise<string> {
  let output = built.get(script);
  if (!output) {
    output = (async () => {
      const esbuild = await loadEsbuild();
      if (!esbuild) throw new Error('esbuild is not installed: run npm ci');
      const name = script.replace(/^.*\//, '').replace(/\.ts$/, '');
      await esbuild.build({ ...bundleOptions([script], join(OUT, name)), logLevel: 'error' });
      return join(OUT, name, `${name}.js`);
    })();
    built.set(script, output);
  }
  return output;
}
