/// <reference types="vite/client" />

/** The production Firebase web config, compiled in at build time (`VITE_FIREBASE_*`). */
interface ImportMetaEnv {
  readonly VITE_FIREBASE_API_KEY?: string;
  readonly VITE_FIREBASE_AUTH_DOMAIN?: string;
  readonly VITE_FIREBASE_PROJECT_ID?: string;
  readonly VITE_FIREBASE_APP_ID?: string;
  /** Region of the callable functions; asia-east2 when unset. */
  readonly VITE_FIREBASE_REGION?: string;
}
