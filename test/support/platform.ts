/**
 * What platform tests use to act as users and ops would: sign in through the Auth emulator, call
 * functions over HTTP like the web client, read Firestore with firebase-admin, and ask the local
 * platform to wait for triggers or deliver an event again.
 */
import { randomUUID } from 'node:crypto';
import { getApps, initializeApp } from 'firebase-admin/app';
import { getFirestore, type Firestore } from 'firebase-admin/firestore';
import { collections } from '../../functions/src/services/db';

export const projectId = 'demo-fupin';
export const region = 'asia-east2';
export const demoPassword = 'fupin-demo-2026';
const functionsUrl = () => process.env.FUPIN_FUNCTIONS_URL as string;
const authHost = () => process.env.FIREBASE_AUTH_EMULATOR_HOST as string;

export function adminDb(): Firestore {
  // A test may hold a named app of its own (crash.test.ts): the default one is made here.
  if (!getApps().some((app) => app.name === '[DEFAULT]')) initializeApp({ projectId });
  return getFirestore();
}

export async function signIn(email: string, password = demoPassword): Promise<string> {
  const response = await fetch(
    `http://${authHost()}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=demo-api-key`,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password, returnSecureToken: true }),
    },
  );
  const body = (await response.json()) as { idToken?: string };
  if (!body.idToken) throw new Error(`cannot sign in as ${email}: ${JSON.stringify(body)}`);
  return body.idToken;
}

export interface CallError {
  status: string;
  message: string;
  details?: { issues?: Array<{ path: string; code: string }> };
}

/** Calls a callable function the way the Firebase JS SDK does; resolves to `{ result }` or `{ error }`. */
export async function call<T = Record<string, unknown>>(
  name: string,
  data: unknown,
  token?: string,
): Promise<{ result?: T; error?: CallError }> {
  const response = await fetch(`${functionsUrl()}/${projectId}/${region}/${name}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ data }),
  });
  return (await response.json()) as { result?: T; error?: CallError };
}

/** Waits until every trigger caused so far (and whatever those caused) has run. */
export async function idle(): Promise<void> {
  const response = await fetch(`${functionsUrl()}/__platform/idle`, { method: 'POST' });
  if (!response.ok) throw new Error('idle failed');
}

export interface DeliveredEventSummary {
  fn: string;
  id: string;
  type: string;
  document: string;
  attempts: number;
  outcome: 'ok' | 'failed';
}

export async function deliveredEvents(filter: {
  fn?: string;
  document?: string;
}): Promise<DeliveredEventSummary[]> {
  const query = new URLSearchParams(filter as Record<string, string>);
  const response = await fetch(`${functionsUrl()}/__platform/events?${query}`);
  return ((await response.json()) as { events: DeliveredEventSummary[] }).events;
}

/** Delivers an already delivered event a second time, as Eventarc may. */
export async function redeliver(fn: string, id: string): Promise<void> {
  const response = await fetch(`${functionsUrl()}/__platform/redeliver`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ fn, id }),
  });
  if (!response.ok) throw new Error(`redeliver failed: ${await response.text()}`);
}

export const newRequestId = (): string => randomUUID();

/** The cells of an exported CSV (base64, UTF-8 with a BOM, CRLF lines), row by row. */
export const csvRowsOf = (dataBase64: string): string[][] =>
  Buffer.from(dataBase64, 'base64')
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
    .map((line) => line.split(','));

/** Runs a scheduled function now, as Cloud Scheduler would. */
export async function runSchedule(name: string): Promise<void> {
  const response = await fetch(`${functionsUrl()}/__platform/schedule/${name}`, { method: 'POST' });
  if (response.status !== 200) throw new Error(`${name} answered ${response.status}`);
}

/** The functions' structured log lines (as Cloud Logging would receive them), parsed. */
export async function functionLogs(): Promise<Array<Record<string, unknown>>> {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(`${process.env.FUPIN_TEST_DATA_DIR}/functions.log`, 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Signs in by phone and SMS code, reading the code the Auth emulator "sent". */
export async function signInByPhone(phoneNumber: string): Promise<string> {
  const base = `http://${authHost()}/identitytoolkit.googleapis.com/v1`;
  const sent = await fetch(`${base}/accounts:sendVerificationCode?key=demo-api-key`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ phoneNumber, recaptchaToken: 'test' }),
  });
  const { sessionInfo } = (await sent.json()) as { sessionInfo: string };
  const codes = await fetch(
    `http://${authHost()}/emulator/v1/projects/${projectId}/verificationCodes`,
  );
  const { verificationCodes } = (await codes.json()) as {
    verificationCodes: Array<{ sessionInfo: string; code: string }>;
  };
  const code = verificationCodes.find((entry) => entry.sessionInfo === sessionInfo)?.code;
  const signedIn = await fetch(`${base}/accounts:signInWithPhoneNumber?key=demo-api-key`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ sessionInfo, code }),
  });
  const { idToken } = (await signedIn.json()) as { idToken?: string };
  if (!idToken) throw new Error(`cannot sign in ${phoneNumber} by phone`);
  return idToken;
}

/** A donor as they start: signed in by phone, with the profile giving requires. */
export async function signInAsDonor(
  phoneNumber: string,
  profile: { kind?: 'person' | 'enterprise'; name: string; unit?: string; villageCode?: string },
): Promise<string> {
  const token = await signInByPhone(phoneNumber);
  const { error } = await call('saveDonorProfile', { kind: 'person', ...profile }, token);
  if (error) throw new Error(`cannot save the profile of ${phoneNumber}: ${error.message}`);
  return token;
}

/**
 * A published need of a village asking for this kind of gift; for money, one nobody has given to
 * yet (so a test knows what it lacks).
 */
export async function publishedNeedIn(villageCode: string, kind: 'money' | 'goods') {
  const page = await adminDb()
    .collection('needs')
    .where('villageCode', '==', villageCode)
    .where('status', '==', 'published')
    .get();
  const need = page.docs.find(
    (doc) =>
      doc.get('kind') === kind &&
      (kind === 'goods' || (!doc.get('raisedFen') && !doc.get('heldFen'))),
  );
  if (!need) throw new Error(`no open published ${kind} need in ${villageCode}`);
  return {
    id: need.id,
    targetFen: Number(need.get('amountFen')),
    items: (need.get('items') ?? []) as Array<{ name: string; quantity: number; unit: string }>,
  };
}

/** A money donation's stored status, once every trigger caused so far has run. */
export async function donationStatus(donationId: string): Promise<string | undefined> {
  await idle();
  const doc = await adminDb().collection('donations').doc(donationId).get();
  return doc.get('status') as string | undefined;
}

/**
 * The donor pays a pledged gift as the web client makes them: startPayment, the cashier page
 * opened (the order made at the sandbox), 确认支付 clicked. `notify: false` loses Alipay's
 * notification on the way (the lapse job's query must then find it). Answers the donation's
 * status afterwards: `received` once paid and notified, or what settlement made it instead
 * (`declined`) when it was never pledged.
 */
export async function payPledge(
  donor: string,
  donationId: string,
  { notify = true }: { notify?: boolean } = {},
): Promise<string | undefined> {
  const before = await donationStatus(donationId);
  if (before !== 'pledged') return before;
  const { result, error } = await call<{ payUrl: string; payBy: number }>(
    'startPayment',
    { donationId },
    donor,
  );
  if (!result) throw new Error(`startPayment ${donationId}: ${error?.message}`);
  const cashier = await fetch(result.payUrl);
  if (cashier.status !== 200) throw new Error(`cashier ${donationId}: ${cashier.status}`);
  const paid = await fetch(
    // The cashier's origin is the sandbox's, whichever platform this test runs against.
    `${new URL(result.payUrl).origin}/sandbox/orders/${donationId}/pay${notify ? '' : '?notify=skip'}`,
    { method: 'POST', redirect: 'manual' },
  );
  if (paid.status !== 303) throw new Error(`sandbox pay ${donationId}: ${paid.status}`);
  return donationStatus(donationId);
}

/** Gives money and pays the pledge at once: the donation's final status (received or declined). */
export async function donateAndPay(donor: string, needId: string, amountFen: number) {
  const made = await call<{ donationId: string }>(
    'donate',
    { requestId: newRequestId(), needId, amountFen },
    donor,
  );
  if (!made.result) return { ...made, status: undefined };
  return { ...made, status: await payPledge(donor, made.result.donationId) };
}

/** A goods pledge as the donor's page sends it: a fresh request id each time. */
export function pledgeGoods(
  donor: string,
  needId: string,
  items: Array<{ itemIndex: number; quantity: number }>,
  delivery: Record<string, unknown>,
) {
  return call<{ donationId: string; expiresAt: number }>(
    'pledgeGoods',
    { requestId: newRequestId(), needId, items, delivery },
    donor,
  );
}

/** One roster household's row as the national system exports it, rebuilt from its records. */
export async function rosterRowOf(id: string): Promise<string> {
  const [doc, secret] = await Promise.all([
    adminDb().collection('households').doc(id).get(),
    adminDb().collection('householdsPrivate').doc(id).get(),
  ]);
  const status = { not_out: '未脱贫', out: '已脱贫', returned: '返贫', stably_out: '稳定脱贫' }[
    doc.get('status') as string
  ];
  return [
    doc.get('headName'),
    secret.get('idNumber'),
    doc.get('address'),
    doc.get('members'),
    (doc.get('causes') as string[]).join('、'),
    (Number(doc.get('annualIncomeFen')) / 100).toFixed(2),
    status,
    doc.get('helperName') ?? '',
    doc.get('outYear') ?? '',
  ].join(',');
}

/**
 * A published money need of `amountFen` in `villageCode`, nobody's yet: a copy (id `{prefix}…`) of
 * a seeded money need of the village that has a bank account, with its private part, its figures
 * reset. For tests whose counts must not move with what other tests give.
 */
export async function copyMoneyNeed(
  villageCode: string,
  amountFen: number,
  prefix: string,
): Promise<{ id: string; headName: string; bankAccount: string }> {
  const db = adminDb();
  const seeded = await db
    .collection(collections.needs)
    .where('villageCode', '==', villageCode)
    .where('kind', '==', 'money')
    .get();
  for (const template of seeded.docs) {
    const privateData = (
      await db.collection(collections.needsPrivate).doc(template.id).get()
    ).data();
    if (typeof privateData?.bankAccount !== 'string') continue;
    const id = `${prefix}${randomUUID().replaceAll('-', '')}`;
    const data = { ...template.data() };
    for (const key of ['heldFen', 'matchedAt', 'receipt', 'fulfilledAt', 'withdrawnBy'])
      delete data[key];
    const now = new Date();
    await db.collection(collections.needsPrivate).doc(id).set(privateData);
    await db
      .collection(collections.needs)
      .doc(id)
      .set({
        ...data,
        status: 'published',
        amountFen,
        raisedFen: 0,
        acceptedDonations: 0,
        problems: [],
        submittedAt: now,
        updatedAt: now,
        publishedAt: now,
        review: {
          date: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10),
          reviewerName: String(data.adminName),
          opinion: 'publish',
        },
      });
    await idle();
    return { id, headName: String(data.headName), bankAccount: privateData.bankAccount };
  }
  throw new Error(`no seeded money need with an account in ${villageCode}`);
}
