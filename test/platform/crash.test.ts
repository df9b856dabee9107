/**
 * `kill -9` of the local platform in the middle of a burst of donations: after a restart on the
 * same data, no acknowledged donation is missing, and every event owed by a committed write has
 * been delivered — each donation was settled (pledged or declined), and each one paid after the
 * restart is received with its certificate.
 * A second platform runs on its own ports, started from a copy of the test platform's data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdtempSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { getFirestore, type Firestore } from 'firebase-admin/firestore';
import { testBasePort } from '../support/globalSetup';
import { untilReady } from '../../functions/local/untilReady';
import { call, payPledge, projectId, signInAsDonor, signInByPhone } from '../support/platform';

const root = resolve(__dirname, '../..');
const base = testBasePort + 20;
const dataDir = mkdtempSync(join(tmpdir(), 'fupin-crash-'));
const savedEnv = { ...process.env };

/** A consistent copy of a running platform's Firestore data: no snapshot taken while copying. */
function copyFirestoreData(from: string, to: string): void {
  for (;;) {
    const snapshot = join(from, 'firestore.json');
    const before = statSync(snapshot).mtimeMs;
    copyFileSync(snapshot, join(to, 'firestore.json'));
    if (existsSync(join(from, 'firestore.journal')))
      copyFileSync(join(from, 'firestore.journal'), join(to, 'firestore.journal'));
    if (statSync(snapshot).mtimeMs === before) return;
  }
}

async function start(): Promise<ChildProcess> {
  // Its own process group, so the kill takes the platform and its emulator child at once.
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'functions/local/start.ts',
      '--data-dir',
      dataDir,
      '--base-port',
      `${base}`,
    ],
    { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: savedEnv },
  );
  await untilReady(child).ready;
  return child;
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((answer) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      answer(false);
    });
    socket.once('error', () => answer(true));
  });
}

async function killHard(child: ChildProcess): Promise<void> {
  const exited = new Promise((done) => child.once('exit', done));
  process.kill(-(child.pid as number), 'SIGKILL');
  await exited;
  for (let port = base; port < base + 6; port++)
    while (!(await portFree(port))) await new Promise((wait) => setTimeout(wait, 100));
}

let platform: ChildProcess | undefined;
let app: App;
let db: Firestore;

beforeAll(async () => {
  copyFirestoreData(process.env.FUPIN_TEST_DATA_DIR as string, dataDir);
  cpSync(join(process.env.FUPIN_TEST_DATA_DIR as string, 'auth'), join(dataDir, 'auth'), {
    recursive: true,
  });
  Object.assign(process.env, {
    FUPIN_FUNCTIONS_URL: `http://127.0.0.1:${base + 2}`,
    FIREBASE_AUTH_EMULATOR_HOST: `127.0.0.1:${base + 1}`,
    FIRESTORE_EMULATOR_HOST: `127.0.0.1:${base}`,
  });
  platform = await start();
  app = initializeApp({ projectId }, 'crash');
  db = getFirestore(app);
}, 180_000);

afterAll(async () => {
  await deleteApp(app);
  if (platform?.exitCode === null) await killHard(platform);
  process.env = savedEnv;
});

it('loses no acknowledged donation on kill -9, and delivers every owed event after a restart', async () => {
  const donor = await signInAsDonor('+8613800000003', { name: '断电测试' });
  const needs = (
    await db
      .collection('needs')
      .where('status', '==', 'published')
      .where('kind', '==', 'money')
      .get()
  ).docs.filter(
    (need) =>
      Number(need.get('amountFen')) -
        Number(need.get('raisedFen') ?? 0) -
        Number(need.get('heldFen') ?? 0) >=
      5000,
  );
  expect(needs.length).toBeGreaterThan(0);
  const acknowledged: string[] = [];
  let next = 0;
  let killing: Promise<void> | undefined;
  // Six requests in flight at a time; the kill comes with the 20th answer, five others pending.
  const client = async () => {
    while (next < 80 && !killing) {
      const needId = (needs[next++ % needs.length] as (typeof needs)[number]).id;
      const answer = await call<{ donationId: string }>(
        'donate',
        { requestId: randomUUID(), needId, amountFen: 100 },
        donor,
      ).catch(() => ({ result: undefined }));
      if (answer.result?.donationId) acknowledged.push(answer.result.donationId);
      if (acknowledged.length >= 20) killing ??= killHard(platform as ChildProcess);
    }
  };
  await Promise.all(Array.from({ length: 6 }, client));
  await killing;
  expect(acknowledged.length).toBeGreaterThanOrEqual(20);

  platform = await start();
  const idle = await fetch(`http://127.0.0.1:${base + 2}/__platform/idle`, { method: 'POST' });
  expect(idle.ok).toBe(true);

  const found = await db.getAll(...acknowledged.map((id) => db.collection('donations').doc(id)));
  const lost = found.filter((doc) => !doc.exists).map((doc) => doc.id);
  expect(lost).toEqual([]);
  const donorUid = String(found[0]?.get('donorUid'));
  // A few of the pledges are paid on the restarted platform: their receipt and certificate too.
  const paid = found.filter((doc) => doc.get('status') === 'pledged').slice(0, 3);
  expect(paid.length).toBeGreaterThan(0);
  // Signed in again: the restarted Auth emulator has its own session state.
  const again = await signInByPhone('+8613800000003');
  for (const doc of paid) expect(await payPledge(again, doc.id)).toBe('received');
  const mine = (await db.collection('donations').where('donorUid', '==', donorUid).get()).docs;
  const unsettled = mine.filter((doc) => doc.get('status') === 'pending').map((doc) => doc.id);
  const withoutCertificate = mine
    .filter((doc) => doc.get('status') === 'received' && !doc.get('certificateSerial'))
    .map((doc) => doc.id);
  expect({ unsettled, withoutCertificate }).toEqual({ unsettled: [], withoutCertificate: [] });
}, 240_000);
