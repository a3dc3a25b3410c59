import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLIENT_SECRET } from '../e2e/harness.ts';
import { cleanEnv, runTsx } from '../tsxProcess.ts';

const cwd = mkdtempSync(join(tmpdir(), 'okc-demo-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** `npm run demo` (`tsx scripts/demo.ts`) as a newcomer runs it: no configuration at all. */
describe('npm run demo', () => {
  it('plays the whole journey, with a client secret and with a key pair, and shows no secret or private key', async () => {
    const run = await runTsx('scripts/demo.ts', { cwd, env: cleanEnv(), timeoutMs: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.code, run.stdout.slice(-2000)).toBe(0);
    const out = run.stdout;
    for (const step of [
      'Connect to Okta',
      'Search scopes',
      'Continue to Okta',
      'acme-prod is connected',
      'Insufficient Scope',
      'needs reauthorization',
      'acme-prod is reauthorized',
      'is working again',
      'Public key / Private key (recommended)',
      'add the public key it shows',
      '"kty":"EC"',
      'acme-keys is connected',
      'rotate-keypair acme-keys',
      'acme-keys now signs with its new key',
      'Done: the connection is active again. Everything ran on 127.0.0.1.',
    ]) {
      expect(out, step).toContain(step);
    }
    expect(out).not.toContain(CLIENT_SECRET);
    expect(out).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
    expect(out).not.toContain('PRIVATE KEY');
    expect(out).not.toMatch(/"d":"/);
  });
});
