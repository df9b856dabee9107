/**
 * The whole platform on one machine, offline, without Java: the embedded Firestore-protocol
 * server, the official Auth and Hosting emulators, a folder as Cloud Storage, every exported
 * function served or triggered, and the demo township. This is the composition root of the local
 * platform; production code is loaded unchanged, with only the object store swapped.
 */
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Server } from 'node:http';
import { LocalFirestore } from './firestore';
import { FolderObjectStore } from './folderObjectStore';
import { TriggerDispatcher } from './triggers';
import { createFunctionsHost, listen, runScheduled, startScheduler } from './functionsHost';
import { OfficialEmulators } from './authEmulator';
import { demoAccounts, demoPassword } from './demoTownship';

export interface PlatformOptions {
  /** Folder for Firestore data, Storage objects, Auth export and the served web client. */
  dataDir: string;
  /** First of seven consecutive ports: firestore, auth, functions, hosting, hub, logging (+1 spare). */
  basePort?: number;
  ports?: Partial<PlatformPorts>;
  webDist?: string;
  /** 'if-empty' seeds on the first start only; 'fresh' wipes and reseeds. */
  seed?: 'if-empty' | 'fresh' | 'never';
  log?: (line: string) => void;
}

export interface PlatformPorts {
  firestore: number;
  auth: number;
  functions: number;
  hosting: number;
  hub: number;
  logging: number;
}

export const projectId = 'demo-fupin';
export const region = 'asia-east2';
export const bucket = `${projectId}.appspot.com`;

export interface Platform {
  urls: { web: string; functions: string; auth: string; firestore: string };
  ports: PlatformPorts;
  dispatcher: TriggerDispatcher;
  firestore: LocalFirestore;
  store: FolderObjectStore;
  seeded: boolean;
  stop(): Promise<void>;
}

export const defaultPorts: PlatformPorts = {
  firestore: 8080,
  auth: 9099,
  functions: 5001,
  hosting: 5000,
  hub: 4400,
  logging: 4500,
};

function portsOf(options: PlatformOptions): PlatformPorts {
  if (options.basePort === undefined) return { ...defaultPorts, ...options.ports };
  const base = options.basePort;
  return {
    firestore: base,
    auth: base + 1,
    functions: base + 2,
    hosting: base + 3,
    hub: base + 4,
    logging: base + 5,
    ...options.ports,
  };
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const log = options.log ?? (() => undefined);
  const ports = portsOf(options);
  const dataDir = resolve(options.dataDir);
  if (options.seed === 'fresh') await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  const host = '127.0.0.1';
  const urls = {
    web: `http://${host}:${ports.hosting}`,
    functions: `http://${host}:${ports.functions}`,
    auth: `http://${host}:${ports.auth}`,
    firestore: `${host}:${ports.firestore}`,
  };

  // The environment Cloud Functions would provide, pointed at the local services. It must be in
  // place before the functions are loaded: firebase-admin and the trigger options read it.
  Object.assign(process.env, {
    GCLOUD_PROJECT: projectId,
    GOOGLE_CLOUD_PROJECT: projectId,
    FIREBASE_CONFIG: JSON.stringify({ projectId, storageBucket: bucket }),
    FIRESTORE_EMULATOR_HOST: urls.firestore,
    FIREBASE_AUTH_EMULATOR_HOST: `${host}:${ports.auth}`,
    PUBLIC_ORIGIN: urls.web,
    CERTIFICATE_SIGNING_KEY:
      process.env.CERTIFICATE_SIGNING_KEY ?? 'local-only-certificate-signing-key',
    // No GCE metadata server off Google's machines: without this, google-auth probes for one
    // and prints a MetadataLookupWarning at every start.
    METADATA_SERVER_DETECTION: 'none',
  });

  const firestore = new LocalFirestore(projectId, join(dataDir, 'firestore.json'));
  await firestore.start(ports.firestore);
  const seeded = options.seed !== 'never' && firestore.documentCount() === 0;

  const store = new FolderObjectStore(bucket, join(dataDir, 'storage'), () => urls.functions);
  const { installObjectStore } = await import('../src/services/objectStore');
  installObjectStore(store);

  const publicDir = join(dataDir, 'public');
  await rm(publicDir, { recursive: true, force: true });
  const webDist = options.webDist ?? resolve(__dirname, '../../web/dist');
  if (existsSync(webDist)) await cp(webDist, publicDir, { recursive: true });
  else await mkdir(publicDir, { recursive: true });
  await writeFile(
    join(publicDir, 'local.json'),
    JSON.stringify({
      projectId,
      apiKey: 'demo-api-key',
      authEmulatorUrl: urls.auth,
      functionsEmulator: { host, port: ports.functions },
      region,
      demoAccounts: demoAccounts()
        .filter((account) => account.email)
        .map((account) => ({
          label: account.label,
          role: account.role,
          email: account.email,
          password: demoPassword,
        })),
      demoDonorPhones: demoAccounts().flatMap((account) => (account.phone ? [account.phone] : [])),
    }),
  );

  const emulators = new OfficialEmulators({
    projectId,
    dataDir,
    publicDir,
    authPort: ports.auth,
    hostingPort: ports.hosting,
    hubPort: ports.hub,
    loggingPort: ports.logging,
    log,
  });
  await emulators.start();

  try {
    // Loaded only now: the functions read the environment set above when they initialise.
    const functions = (await import('../src/index')) as Record<string, unknown>;
    const dispatcher = new TriggerDispatcher(
      functions,
      projectId,
      (fn, eventId) => log(`trigger ${fn} failed on event ${eventId}\n`),
      firestore.outbox,
    );
    firestore.onChanges((changes) => dispatcher.firestoreChanged(changes));
    store.onFinalized((object) => dispatcher.objectFinalized(object));
    const server: Server = await listen(
      createFunctionsHost({ projectId, region, functions, store, dispatcher }),
      ports.functions,
      host,
    );

    if (seeded) {
      const { seedDemoTownship } = await import('./seed');
      await seedDemoTownship();
      await dispatcher.idle();
      // The regions above the villages get their first figures now rather than a minute later.
      await runScheduled(urls.functions, projectId, region, 'rollupRates');
      await firestore.flush();
    }
    const stopScheduler = startScheduler(urls.functions, projectId, region, functions);
    return {
      urls,
      ports,
      dispatcher,
      firestore,
      store,
      seeded,
      async stop() {
        stopScheduler();
        await new Promise((done) => server.close(() => done(undefined)));
        await dispatcher.idle();
        await emulators.stop();
        await firestore.stop();
      },
    };
  } catch (error) {
    await emulators.stop();
    await firestore.stop();
    throw error;
  }
}
