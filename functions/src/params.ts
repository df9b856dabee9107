/**
 * Every deploy-time parameter and secret, declared once. Read `.value()` only inside handlers:
 * at import time the values are not yet bound.
 */
import { defineSecret, defineString } from 'firebase-functions/params';

/** Where the functions run: Hong Kong is the region nearest to the platform's users. */
export const functionsRegion = 'asia-east2';

/**
 * The ceiling on instances of any one function: a township's peak (a roster import, a morning of
 * submissions, a donation drive) needs a handful, and a runaway client or a retry storm must not
 * scale cost without bound. Raise it per function where a measured load says so.
 */
export const maxInstancesPerFunction = 20;

/** Public origin of the web client, used in certificate verification links. */
export const publicOrigin = defineString('PUBLIC_ORIGIN', {
  default: 'https://fupin.web.app',
  description: 'Origin of the web client, as printed in certificate QR codes',
});

/** Key that signs certificate records (HMAC-SHA256). */
export const certificateSigningKey = defineSecret('CERTIFICATE_SIGNING_KEY');
