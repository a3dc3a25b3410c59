import nodeModule from 'node:module';

/**
 * `npm start`'s entry: source maps first, then the bot (`start.ts`). Stack traces of the
 * bot's own code point at its .ts lines; node_modules' source maps are left unread, which
 * `node --enable-source-maps` would parse for every package that ships them (Bolt and its
 * dependencies: about 8 MB of the idle bot's memory on Node 24). Node before 22.14 has
 * only the all-or-nothing switch. Set before `start.ts` is imported: a module's map is
 * read when the module loads.
 */
const { setSourceMapsSupport } = nodeModule as {
  setSourceMapsSupport?: (
    enabled: boolean,
    options: { nodeModules: boolean; generatedCode: boolean },
  ) => void;
};
if (setSourceMapsSupport) {
  setSourceMapsSupport(true, { nodeModules: false, generatedCode: false });
} else {
  process.setSourceMapsEnabled(true);
}
await import('./start.ts');
