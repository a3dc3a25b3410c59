import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  activeConnection,
  createRepos,
  KEY_A,
  newAuthRequest,
  openSqliteTestDatabase,
  tempDir,
} from './testDatabase.ts';

interface Outcome {
  consumed: boolean;
  leased: boolean;
}

const CONTENDERS = 4;

/** Worker threads start in plain Node: register tsx there, then load the TypeScript contender. */
const BOOT = `
  import('tsx/esm/api')
    .then(({ register }) => { register(); return import(${JSON.stringify(new URL('./raceWorker.ts', import.meta.url).href)}); })
    .catch((error) => { throw error; });
`;

/**
 * Starts each contender in its own thread with its own better-sqlite3 connection to the
 * file, releases them together from a barrier, and collects what each one got.
 */
function race(task: { path: string; now: number; connectionId: string; state: string }) {
  const barrier = new SharedArrayBuffer(4);
  return Promise.all(
    Array.from({ length: CONTENDERS }, (_, i) => {
      const worker = new Worker(BOOT, {
        eval: true,
        workerData: {
          ...task,
          key: new Uint8Array(KEY_A),
          barrier,
          contenders: CONTENDERS,
          name: `process-${i}`,
        },
      });
      return new Promise<Outcome>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`contender exited with ${code}`)));
      });
    }),
  );
}

describe('contenders on separate connections to one file', () => {
  it('let exactly one consume a state and exactly one take a lease', async () => {
    const path = join(tempDir(), 'race.sqlite');
    const repos = createRepos(openSqliteTestDatabase('file', path));
    const connectionId = (await activeConnection(repos)).id;
    const now = repos.clock();
    const { request } = await repos.authRequests.create(newAuthRequest(connectionId, repos.clock));
    await repos.authRequests.beginAuthorization(request.id, {
      state: 'the-state',
      browserBinding: 'cookie',
      pkceVerifier: 'verifier',
      nonce: 'nonce',
      expiresAt: now + 600_000,
    });

    const outcomes = await race({ path, now, connectionId, state: 'the-state' });

    expect(outcomes.filter((o) => o.consumed)).toHaveLength(1);
    expect(outcomes.filter((o) => o.leased)).toHaveLength(1);
  });
});
