/**
 * What the platform needs of an online payment provider, whichever it is: open an order the donor
 * pays on the provider's page, believe a payment notification only once it is proven to come from
 * the provider for this merchant, ask the provider about an order whose notification never came,
 * and refund. Amounts are integer fen on this side; the provider's format stays in its adapter.
 */

export interface PaymentOrderRequest {
  /** Our order number, unique per payment attempt (letters, digits, `_` and `-`, at most 64). */
  outTradeNo: string;
  amountFen: number;
  /** What the donor sees on the provider's page. */
  subject: string;
  /** Where the provider posts its asynchronous payment notification. */
  notifyUrl: string;
  /** Where the donor's browser returns after paying. */
  returnUrl: string;
  /** When the provider closes the order unpaid (the pledge's pay-by time). */
  expiresAt?: Date;
}

/** The address the donor's browser opens to pay (a signed GET of the provider's gateway). */
export interface CreatedPaymentOrder {
  payUrl: string;
}

/** Where a trade stands at the provider. */
export type TradeStatus = 'waiting' | 'paid' | 'closed';

export interface VerifiedNotification {
  outTradeNo: string;
  /** The provider's own transaction id: the idempotency key of a receipt. */
  providerTradeNo: string;
  amountFen: number;
  status: TradeStatus;
  /** When the donor paid; absent while the trade waits or when it closed unpaid. */
  paidAt?: Date;
  /** The provider's id of this notification, for the logs. */
  notificationId: string;
}

/**
 * Why a notification is not believed. `malformed`: not the provider's shape (a field missing, an
 * amount that is not whole fen); `bad_signature`: not signed by the provider's key, or altered
 * after signing; `wrong_app`: signed by the provider but for another merchant application;
 * `wrong_seller`: for another seller account.
 */
export type NotificationRefusal = 'malformed' | 'bad_signature' | 'wrong_app' | 'wrong_seller';

export type NotificationCheck =
  { ok: true; notification: VerifiedNotification } | { ok: false; refusal: NotificationRefusal };

export type OrderQueryResult =
  | { found: false }
  | {
      found: true;
      outTradeNo: string;
      providerTradeNo: string;
      amountFen: number;
      status: TradeStatus;
      paidAt?: Date;
    };

export interface RefundResult {
  outTradeNo: string;
  providerTradeNo: string;
  /** Everything refunded on this trade so far, this request included. */
  refundedFen: number;
  /** False when the provider had already carried out this refund request (a retry). */
  moneyMoved: boolean;
}

/** A refused or failed call to the provider, with the provider's code (never its message). */
export class PaymentProviderError extends Error {
  override readonly name = 'PaymentProviderError';
  constructor(
    readonly code: string,
    readonly httpStatus?: number,
  ) {
    super(`payment provider answered ${code}`);
  }
}

export interface PaymentProvider {
  readonly name: 'alipay';
  createOrder(order: PaymentOrderRequest): CreatedPaymentOrder;
  /** The notification's fields as posted (form fields, strings); anything else is malformed. */
  verifyNotification(fields: unknown): NotificationCheck;
  queryOrder(outTradeNo: string): Promise<OrderQueryResult>;
  /** Idempotent on `refundRequestNo`: the same request again moves no more money. */
  refund(outTradeNo: string, amountFen: number, refundRequestNo: string): Promise<RefundResult>;
}
