/**
 * Where the provider sends the donor back and posts its notifications, for an order opened now.
 * Read inside a handler only (params are bound then).
 */
import { functionsRegion, paymentNotifyUrl, publicOrigin } from '../../params';

/** The alipayNotify function's URL: the configured one, or the deployed function's own. */
export function notifyUrl(): string {
  const configured = paymentNotifyUrl.value();
  if (configured) return configured;
  const project = process.env.GCLOUD_PROJECT ?? process.env.GOOGLE_CLOUD_PROJECT ?? '';
  return `https://${functionsRegion}-${project}.cloudfunctions.net/alipayNotify`;
}

/**
 * The web client's origin the donor returns to: the request's own Origin when it is one of the
 * platform's (the configured public origin, or the project's two Hosting domains), else the
 * configured one — never an origin the caller names, so a pay page cannot send a donor elsewhere.
 */
export function webOriginFor(requestOrigin: string | undefined): string {
  const configured = publicOrigin.value().replace(/\/+$/, '');
  const project = process.env.GCLOUD_PROJECT ?? process.env.GOOGLE_CLOUD_PROJECT ?? '';
  const allowed = new Set([
    configured,
    ...(project ? [`https://${project}.web.app`, `https://${project}.firebaseapp.com`] : []),
  ]);
  return requestOrigin && allowed.has(requestOrigin) ? requestOrigin : configured;
}

/** Where the donor's browser lands after paying: 我的捐助, which shows the gift's state. */
export const returnUrlFor = (webOrigin: string): string => `${webOrigin}/#/mine`;
