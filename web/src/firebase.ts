/**
 * Firebase for the web client: Auth and callable functions only (modular imports, nothing else
 * loaded). Everything the client reads or writes goes through callables; the rules deny direct
 * Firestore and Storage access. On the local platform `/local.json` points the SDK at the emulators.
 */
import { initializeApp } from 'firebase/app';
import { connectAuthEmulator, getAuth, type Auth } from 'firebase/auth';
import {
  connectFunctionsEmulator,
  getFunctions,
  httpsCallable,
  type Functions,
} from 'firebase/functions';

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

export async function initFirebase(): Promise<void> {
  try {
    const response = await fetch('/local.json', { cache: 'no-store' });
    if (response.ok && response.headers.get('content-type')?.includes('json'))
      local = (await response.json()) as LocalConfig;
  } catch {
    local = undefined;
  }
  const env = import.meta.env;
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
  auth = getAuth(app);
  auth.languageCode = 'zh-CN';
  functions = getFunctions(app, local?.region ?? 'asia-east2');
  if (local) {
    connectAuthEmulator(auth, local.authEmulatorUrl, { disableWarnings: true });
    connectFunctionsEmulator(functions, local.functionsEmulator.host, local.functionsEmulator.port);
    auth.settings.appVerificationDisabledForTesting = true;
  }
}

/** Calls a callable function; errors keep the SDK's `code` (functions/…) and server `details`. */
export async function call<T>(name: string, data: unknown): Promise<T> {
  const result = await httpsCallable(functions, name, { timeout: 30_000 })(data);
  return result.data as T;
}

export type CallError = {
  code?: string;
  message?: string;
  details?: { issues?: Array<{ path: string; code: string }> };
};
