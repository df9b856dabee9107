/**
 * Firebase for the web client: Auth and callable functions only (modular imports, nothing else
 * loaded). Everything the client reads or writes goes through callables; the rules deny direct
 * Firestore and Storage access. On the local platform `/local.json` points the SDK at the emulators.
 */
import { initializeApp } from 'firebase/app';
import {
  browserLocalPersistence,
  connectAuthEmulator,
  indexedDBLocalPersistence,
  initializeAuth,
  type Auth,
} from 'firebase/auth';
import {
  connectFunctionsEmulator,
  getFunctions,
  httpsCallable,
  type Functions,
} from 'firebase/functions';
import type { CallableAnswer, CallableInput, CallableName } from '../../functions/src/contract';
import type { issuesOf } from '../../functions/src/domain/validation/issues';

export interface DemoAccount {
  label: string;
  role: string;
  email: string;
  password: string;
}

export interface LocalConfig {
  projectId: string;
  apiKey: string;
  authEmulatorUrl: string;
  functionsEmulator: { host: string; port: number };
  region: string;
  demoAccounts: DemoAccount[];
  demoDonorPhones: string[];
}

export let auth: Auth;
let functions: Functions;
export let local: LocalConfig | undefined;

/** Where the callables run when no `/local.json` says otherwise (Hong Kong, near the users). */
const defaultRegion = 'asia-east2';

/**
 * `/local.json` exists only on the local platform. Production answers 404, or, behind a
 * single-page rewrite, index.html: only a JSON object with a project id counts.
 */
async function localConfig(): Promise<LocalConfig | undefined> {
  try {
    const response = await fetch('/local.json', { cache: 'no-store' });
    if (!response.ok || !response.headers.get('content-type')?.includes('json')) return undefined;
    const config = (await response.json()) as Partial<LocalConfig> | null;
    return config &&
      typeof config.projectId === 'string' &&
      typeof config.authEmulatorUrl === 'string'
      ? ({ demoAccounts: [], demoDonorPhones: [], ...config } as LocalConfig)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Connects to the emulators named by `/local.json`, or to production from the build's env. */
export async function initFirebase(): Promise<void> {
  local = await localConfig();
  const env = import.meta.env;
  if (!local && !env.VITE_FIREBASE_API_KEY) {
    throw new Error('no /local.json and no VITE_FIREBASE_API_KEY at build time');
  }
  const app = initializeApp(
    local
      ? {
          apiKey: local.apiKey,
          projectId: local.projectId,
          authDomain: `${local.projectId}.firebaseapp.com`,
        }
      : {
          apiKey: env.VITE_FIREBASE_API_KEY,
          authDomain: env.VITE_FIREBASE_AUTH_DOMAIN,
          projectId: env.VITE_FIREBASE_PROJECT_ID,
          appId: env.VITE_FIREBASE_APP_ID,
        },
  );
  // Not getAuth(): it bundles the popup/redirect sign-in code, which no page here uses.
  auth = initializeAuth(app, {
    persistence: [indexedDBLocalPersistence, browserLocalPersistence],
  });
  auth.languageCode = 'zh-CN';
  functions = getFunctions(app, local?.region ?? env.VITE_FIREBASE_REGION ?? defaultRegion);
  if (local) {
    connectAuthEmulator(auth, local.authEmulatorUrl, { disableWarnings: true });
    connectFunctionsEmulator(functions, local.functionsEmulator.host, local.functionsEmulator.port);
    // The Auth emulator sends no SMS and checks no reCAPTCHA.
    auth.settings.appVerificationDisabledForTesting = true;
  }
}

/**
 * Calls a callable function by its name in the contract, with the input it declares, and answers
 * what it declares; errors keep the SDK's `code` (functions/…) and server `details`.
 */
export async function call<N extends CallableName>(
  name: N,
  data: CallableInput<N>,
): Promise<CallableAnswer<N>> {
  const result = await httpsCallable<CallableInput<N>, CallableAnswer<N>>(functions, name, {
    timeout: 30_000,
  })(data);
  return result.data;
}

export type CallError = {
  code?: string;
  message?: string;
  details?: {
    /** The invalid fields, as the server's issuesOf reports them. */
    issues?: ReturnType<typeof issuesOf>;
    /** Why a `failed-precondition` was refused, e.g. `profile_missing`. */
    reason?: string;
    /** What a money need still lacks when an amount went beyond it. */
    remainingFen?: number;
  };
};
