import { parentPort, workerData } from 'node:worker_threads';
import { createKeyRing } from '../../src/crypto.ts';
import { createAuthRequestsRepo } from '../../src/db/authRequestsRepo.ts';
import { createConnectionsRepo } from '../../src/db/connectionsRepo.ts';
import { openDatabase } from '../../src/db/openDatabase.ts';

/**
 * One contender in a race test: opens its own connection to the shared file, waits at
 * the barrier until every contender is ready, then makes its single attempt.
 */
interface RaceTask {
  path: string;
  key: Uint8Array;
  barrier: SharedArrayBuffer;
  contenders: number;
  name: string;
  now: number;
  connectionId: string;
  state: string;
}

const task = workerData as RaceTask;
const handle = openDatabase(task.path);
const ring = createKeyRing(Buffer.from(task.key));
const connections = createConnectionsRepo(handle, ring, () => task.now);
const authRequests = createAuthRequestsRepo(handle, ring, () => task.now);

const arrived = new Int32Array(task.barrier);
Atomics.add(arrived, 0, 1);
Atomics.notify(arrived, 0);
while (Atomics.load(arrived, 0) < task.contenders) {
  Atomics.wait(arrived, 0, Atomics.load(arrived, 0), 50);
}

const consumed = (await authRequests.consumeByState(task.state, task.now)) !== null;
const leased = await connections.tryTakeLease(task.connectionId, task.name, task.now, 60_000);
handle.sqlite.close();
parentPort?.postMessage({ consumed, leased });
