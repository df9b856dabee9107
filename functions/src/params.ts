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

/** The Alipay application (开放平台 APPID) that online donations are paid to. */
export const alipayAppId = defineString('ALIPAY_APP_ID', {
  description: 'Alipay Open Platform application id (APPID)',
});

/** The merchant's Alipay user id (2088…): notifications for another seller are refused. */
export const alipaySellerId = defineString('ALIPAY_SELLER_ID', {
  description: "The merchant's Alipay user id (2088…), checked on every payment notification",
});

/** Alipay's public key for the application ("支付宝公钥"): verifies notifications and answers. */
export const alipayPublicKey = defineString('ALIPAY_PUBLIC_KEY', {
  description: 'Alipay public key of the application (RSA2, base64 or PEM)',
});

/** Alipay's OpenAPI origin; the local platform points it at its payment sandbox. */
export const alipayGateway = defineString('ALIPAY_GATEWAY', {
  default: 'https://openapi.alipay.com',
  description: 'Alipay OpenAPI origin',
});

/** The application's RSA2 private key: signs orders, queries and refunds. */
export const alipayAppPrivateKey = defineSecret('ALIPAY_APP_PRIVATE_KEY');

/**
 * Where Alipay posts its payment notifications: the alipayNotify function's URL. Empty means
 * the deployed function's own address (https://{region}-{project}.cloudfunctions.net/alipayNotify);
 * the local platform points it at its functions host.
 */
export const paymentNotifyUrl = defineString('PAYMENT_NOTIFY_URL', {
  default: '',
  description: 'URL of the alipayNotify function (empty: the deployed function URL)',
});
