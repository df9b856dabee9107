/**
 * The whole platform on one machine, offline, without Java: the embedded Firestore-protocol
 * server, the official Auth and Hosting emulators, a folder as Cloud Storage, every exported
 * function served or triggered, and the demo township. This is the composition root of the local
 * platform; production code is loaded unchanged, with only the object store swapped.
 */
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createServer, type Server as NetServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Server } from 'node:http';
import { LocalFirestore } from './firestore';
import { FolderObjectStore } from './folderObjectStore';
import { TriggerDispatcher } from './triggers';
import { createFunctionsHost, listen, runScheduled, startScheduler } from './functionsHost';
import { OfficialEmulators, connectable } from './authEmulator';
import { demoAccounts, demoDivisions, demoPassword } from './demoTownship';
import { startPaymentSandbox } from './paymentSandbox';

export interface PlatformOptions {
  /** Folder for Firestore data, Storage objects, Auth export and the served web client. */
  dataDir: string;
  /** First of seven consecutive ports: firestore, auth, functions, hosting, hub, logging, payments. */
  basePort?: number;
  ports?: Partial<PlatformPorts>;
  webDist?: string;
  /** 'if-empty' seeds on the first start only; 'fresh' wipes and reseeds. */
  seed?: 'if-empty' | 'fresh' | 'never';
  /**
   * No demo township: a first start loads only the division table of its area (reference data
   * a real deployment loads too, `npm run admin:regions`); no accounts, households or needs.
   */
  empty?: boolean;
  /**
   * Address every part listens on. Loopback unless asked: the local platform has no security
   * rules and test accounts with a published password, so it is not for a network.
   */
  host?: string;
  log?: (line: string) => void;
  /** A part stopped answering after start (the emulator child died): the platform is not whole. */
  onBroken?: (reason: string) => void;
}

export interface PlatformPorts {
  firestore: number;
  auth: number;
  functions: number;
  hosting: number;
  hub: number;
  logging: number;
  /** The payment sandbox standing in for Alipay's gateway (paymentSandbox.ts). */
  payments: number;
}

export const projectId = 'demo-fupin';
export const region = 'asia-east2';
export const bucket = `${projectId}.appspot.com`;

export interface Platform {
  host: string;
  urls: { web: string; functions: string; auth: string; firestore: string; payments: string };
  ports: PlatformPorts;
  dispatcher: TriggerDispatcher;
  firestore: LocalFirestore;
  store: FolderObjectStore;
  seeded: boolean;
  /** Every part answers (Firestore, Auth, Hosting, the functions host) as this instance. */
  check(): Promise<string[]>;
  stop(): Promise<void>;
}

export const defaultPorts: PlatformPorts = {
  firestore: 8080,
  auth: 9099,
  functions: 5001,
  hosting: 5000,
  hub: 4400,
  logging: 4500,
  payments: 4600,
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
    payments: base + 6,
    ...options.ports,
  };
}

/** A port another process holds: the platform refuses to start rather than share it. */
export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly holder: string | undefined,
  ) {
    super(
      `端口 ${port} 已被${holder ? `进程 ${holder} ` : '其他进程'}占用，请先停止它，或用 --base-port 换一组端口。` +
        ` (port ${port} is in use${holder ? ` by process ${holder}` : ''}: stop it or choose --base-port)`,
    );
    this.name = 'PortInUseError';
  }
}

function tryListen(port: number, host: string): Promise<boolean> {
  return new Promise((done) => {
    const server: NetServer = createServer();
    server.once('error', () => done(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => done(true)));
  });
}

/** The pid and command of the process listening on a TCP port, from /proc (Linux only). */
export function holderOf(port: number): string | undefined {
  try {
    const inodes = new Set<string>();
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      if (!existsSync(table)) continue;
      for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
        const fields = line.trim().split(/\s+/);
        // State 0A is LISTEN; the local address ends with the port in hex.
        if (fields[3] === '0A' && parseInt(fields[1]?.split(':').pop() ?? '', 16) === port)
          inodes.add(fields[9] ?? '');
      }
    }
    if (inodes.size === 0) return undefined;
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      let fds: string[];
      try {
        fds = readdirSync(`/proc/${pid}/fd`);
      } catch {
        continue;
      }
      for (const fd of fds) {
        let target = '';
        try {
          target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        } catch {
          continue;
        }
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) {
          const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
            .split('\0')
            .filter(Boolean)
            .slice(0, 3)
            .join(' ');
          return `${pid} (${command.slice(0, 120)})`;
        }
      }
    }
    return undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every port must be free. A stray process answering on one of them (an emulator orphaned by a
 * killed platform) would otherwise pass the readiness checks and then vanish. The emulator child
 * of a just-killed platform ends within a second, so a held port gets a few seconds to be freed.
 */
export async function assertPortsFree(
  ports: PlatformPorts,
  host: string,
  waitMs = 5000,
): Promise<void> {
  const wanted: Array<[number, string]> = [
    [ports.firestore, host],
    [ports.auth, host],
    [ports.functions, host],
    [ports.hosting, host],
    [ports.hub, '127.0.0.1'],
    [ports.logging, '127.0.0.1'],
    [ports.payments, host],
  ];
  const deadline = Date.now() + waitMs;
  for (const [port, address] of wanted) {
    while (!(await tryListen(port, address))) {
      if (Date.now() > deadline) throw new PortInUseError(port, holderOf(port));
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** What clients use to reach a platform bound to `host`: a wildcard is reached by this machine's address. */
function publicAddressOf(host: string): string {
  if (host !== '0.0.0.0' && host !== '::') return connectable(host);
  const external = Object.values(networkInterfaces())
    .flat()
    .find((address) => address && address.family === 'IPv4' && !address.internal);
  return external?.address ?? '127.0.0.1';
}

/**
 * @firestore-emulator/server binds 0.0.0.0 whatever it is asked; its gRPC server is reached
 * here and made to bind the platform's address instead.
 */
function bindFirestoreTo(firestore: LocalFirestore, host: string): void {
  type Bind = (address: string, ...rest: unknown[]) => void;
  const grpc = (firestore as unknown as { server: { server: { bindAsync: Bind } } }).server.server;
  const bindAsync = grpc.bindAsync.bind(grpc);
  grpc.bindAsync = (address, ...rest) =>
    bindAsync(
      address.replace(/^0\.0\.0\.0:/, `${host.includes(':') ? `[${host}]` : host}:`),
      ...rest,
    );
}

async function waitUntil(deadlineMs: number, check: () => Promise<string[]>): Promise<string[]> {
  const deadline = Date.now() + deadlineMs;
  let missing = await check();
  while (missing.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    missing = await check();
  }
  return missing;
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const log = options.log ?? (() => undefined);
  const ports = portsOf(options);
  const dataDir = resolve(options.dataDir);
  const bindHost = options.host ?? '127.0.0.1';
  await assertPortsFree(ports, bindHost);
  if (options.seed === 'fresh') await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  // This process reaches the parts through loopback; clients through the public address.
  const host = connectable(bindHost);
  const publicHost = publicAddressOf(bindHost);
  const instance = randomUUID();
  const urls = {
    web: `http://${publicHost}:${ports.hosting}`,
    functions: `http://${publicHost}:${ports.functions}`,
    auth: `http://${publicHost}:${ports.auth}`,
    payments: `http://${publicHost}:${ports.payments}`,
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
  bindFirestoreTo(firestore, bindHost);
  await firestore.start(ports.firestore);
  const seeded = options.seed !== 'never' && firestore.documentCount() === 0;

  // Alipay, locally: the functions get the sandbox's gateway and keys as a deployment gets
  // Alipay's (params ALIPAY_*), so the production adapter verifies what the sandbox signs.
  const payments = await startPaymentSandbox({
    dataDir,
    port: ports.payments,
    host: bindHost,
    origin: urls.payments,
    instance,
    log,
  }).catch(async (error: unknown) => {
    await firestore.stop();
    throw error;
  });
  Object.assign(process.env, {
    ALIPAY_GATEWAY: payments.url,
    ALIPAY_APP_ID: payments.keys.appId,
    ALIPAY_SELLER_ID: payments.keys.sellerId,
    ALIPAY_PUBLIC_KEY: payments.keys.alipayPublicKey,
    ALIPAY_APP_PRIVATE_KEY: payments.keys.appPrivateKey,
    // Alipay posts to the deployed function's URL; the sandbox, to this host's.
    PAYMENT_NOTIFY_URL: `${urls.functions}/${projectId}/${region}/alipayNotify`,
  });

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
      instance,
      apiKey: 'demo-api-key',
      authEmulatorUrl: urls.auth,
      functionsEmulator: { host: publicHost, port: ports.functions },
      region,
      demoAccounts: (options.empty ? [] : demoAccounts())
        .filter((account) => account.email)
        .map((account) => ({
          label: account.label,
          role: account.role,
          email: account.email,
          password: demoPassword,
        })),
      demoDonorPhones: (options.empty ? [] : demoAccounts()).flatMap((account) =>
        account.phone ? [account.phone] : [],
      ),
    }),
  );

  const emulators = new OfficialEmulators({
    projectId,
    dataDir,
    publicDir,
    host: bindHost,
    authPort: ports.auth,
    hostingPort: ports.hosting,
    hubPort: ports.hub,
    loggingPort: ports.logging,
    log,
    onUnexpectedExit: (code) =>
      options.onBroken?.(`the Auth and Hosting emulators exited (code ${code})`),
  });
  try {
    await emulators.start();
  } catch (error) {
    await emulators.stop();
    await firestore.stop();
    await payments.stop();
    throw error;
  }

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
      createFunctionsHost({
        projectId,
        region,
        functions,
        store,
        dispatcher,
        instance,
        onError: (error) => log(`functions host: ${(error as Error)?.stack ?? String(error)}\n`),
      }),
      ports.functions,
      bindHost,
    );
    const { initializeApp, deleteApp } = await import('firebase-admin/app');
    const { getFirestore } = await import('firebase-admin/firestore');
    const readinessApp = initializeApp({ projectId }, `readiness-${instance}`);

    /** The parts that do not answer as this instance, by name; empty when all do. */
    const check = async (): Promise<string[]> => {
      const failing: string[] = [];
      const firestoreAnswers = await Promise.race([
        getFirestore(readinessApp)
          .collection('__readiness')
          .limit(1)
          .get()
          .then(() => true)
          .catch(() => false),
        new Promise<boolean>((done) => setTimeout(() => done(false), 2000).unref()),
      ]);
      if (!firestoreAnswers) failing.push(`Firestore (port ${ports.firestore})`);
      if (!(await emulators.authAnswers())) failing.push(`Auth (port ${ports.auth})`);
      if ((await instanceAt(`${emulators.hostingUrl()}/local.json`)) !== instance)
        failing.push(`Hosting (port ${ports.hosting})`);
      if ((await instanceAt(`http://${host}:${ports.functions}/__platform/health`)) !== instance)
        failing.push(`functions host (port ${ports.functions})`);
      if ((await instanceAt(`http://${host}:${ports.payments}/sandbox/health`)) !== instance)
        failing.push(`payment sandbox (port ${ports.payments})`);
      return failing;
    };

    if (seeded && options.empty) {
      const { loadDivisions } = await import('../src/services/divisions');
      await loadDivisions(demoDivisions());
      await firestore.flush();
    } else if (seeded) {
      const { seedDemoTownship } = await import('./seed');
      await seedDemoTownship();
      await dispatcher.idle();
      // The regions above the villages get their first figures now rather than a minute later.
      await runScheduled(`http://${host}:${ports.functions}`, projectId, region, 'rollupRates');
      await firestore.flush();
    }
    const stopScheduler = startScheduler(
      `http://${host}:${ports.functions}`,
      projectId,
      region,
      functions,
    );
    const missing = await waitUntil(30_000, check);
    if (missing.length > 0) {
      stopScheduler();
      server.close();
      throw new Error(`这些部分没有应答 (not answering): ${missing.join(', ')}`);
    }
    return {
      host: bindHost,
      check,
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
        await payments.stop();
        await deleteApp(readinessApp).catch(() => undefined);
      },
    };
  } catch (error) {
    await emulators.stop();
    await firestore.stop();
    await payments.stop();
    throw error;
  }
}

async function instanceAt(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return ((await response.json()) as { instance?: string }).instance;
  } catch {
    return undefined;
  }
}
