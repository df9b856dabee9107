import { callable } from '../lib/callable';
import { alipayAppPrivateKey } from '../params';
import { retryOnConflict } from '../services/needs';
import { runOnce } from '../services/requests';
import { refundIn } from '../services/settlement';

/**
 * Ops records that a donation was refunded (returned to the donor, or the need found false): the
 * donation leaves the need's funding at once, in the same batch, and its certificate is revoked.
 * A need found false is taken down.
 */
export const refundDonation = callable({
  name: 'refundDonation',
  roles: ['ops'],
  // An Alipay-paid gift is refunded through Alipay (services/settlement.ts refundIn).
  secrets: [alipayAppPrivateKey],
  handler: async ({ requestId, donationId, reason }, caller) => {
    // The need's money and status move in the refund's own batch (services/settlement.ts).
    const { result } = await retryOnConflict(() =>
      runOnce('refundDonation', caller.uid, requestId, (batch) =>
        refundIn(batch, donationId, reason, caller.uid),
      ),
    );
    return result;
  },
});
