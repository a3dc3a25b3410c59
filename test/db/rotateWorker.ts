import { createKeyRing } from '../../src/crypto.ts';
import { openDatabase } from '../../src/db/openDatabase.ts';
import { rotateKeys } from '../../src/db/rotateKeys.ts';

/**
 * A rotation in a process of its own that kills itself with SIGKILL right after row
 * KILL_AFTER_ROWS is committed: no cleanup, no close, as a crash or `kill -9` leaves it.
 */
const env = process.env;
const handle = openDatabase(env.DATABASE_PATH ?? '');
const ring = createKeyRing(Buffer.from(env.KEY ?? '', 'base64'), [
  Buffer.from(env.PREVIOUS_KEY ?? '', 'base64'),
]);
const killAfter = Number(env.KILL_AFTER_ROWS);
await rotateKeys(handle, ring, {
  onProgress: ({ rowsResealed }) => {
    if (rowsResealed === killAfter) process.kill(process.pid, 'SIGKILL');
  },
});
process.stdout.write('finished without being killed\n');
