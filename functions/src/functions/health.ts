import { onRequest } from 'firebase-functions/v2/https';
import { logs } from '../logs';
import { collections, db } from '../services/db';
import { objectStore } from '../services/objectStore';
import { version } from '../version';

async function reachable(check: () => Promise<unknown>): Promise<boolean> {
  try {
    await check();
    return true;
  } catch {
    return false;
  }
}

/** For ops and uptime checks: the deployed version and whether Firestore and Storage answer. */
export const health = onRequest({ cors: false }, async (_request, response) => {
  const checks = {
    firestore: await reachable(() => db().collection(collections.health).limit(1).get()),
    storage: await reachable(() => objectStore().exists('health/probe')),
  };
  const ok = Object.values(checks).every(Boolean);
  logs.health(ok, checks);
  response.status(ok ? 200 : 503).json({ ok, version, checks });
});
