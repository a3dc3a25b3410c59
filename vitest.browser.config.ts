import { defineConfig } from 'vitest/config';

/** `npm run test:browser`: the pages in headless Chromium (Debian's `chromium`). */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
