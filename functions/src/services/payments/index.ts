/**
 * The platform's payment provider, configured from the deployment's params (params.ts). The
 * adapter and its SDK are loaded on first use: the SDK takes about half a second to load, which
 * no other function's cold start should pay.
 */
import {
  alipayAppId,
  alipayAppPrivateKey,
  alipayGateway,
  alipayPublicKey,
  alipaySellerId,
} from '../../params';
import type { PaymentProvider } from './provider';

export * from './provider';

let cached: { key: string; provider: PaymentProvider } | undefined;

/** Call inside a handler that binds the `ALIPAY_APP_PRIVATE_KEY` secret. */
export async function paymentProvider(): Promise<PaymentProvider> {
  const config = {
    appId: alipayAppId.value(),
    appPrivateKey: alipayAppPrivateKey.value(),
    alipayPublicKey: alipayPublicKey.value(),
    gateway: alipayGateway.value(),
    sellerId: alipaySellerId.value(),
  };
  const key = JSON.stringify(config);
  if (cached?.key !== key) {
    const { AlipayProvider } = await import('./alipay');
    cached = { key, provider: new AlipayProvider(config) };
  }
  return cached.provider;
}
