/**
 * 去支付宝支付: opens the provider's cashier page for a pledged money gift. The order number is
 * the donation id, so a second tap (or a tap after a lost answer) opens the same order again and
 * can never charge twice; the provider sends the donor back to 我的捐助.
 */
import { call, type CallError } from '../../firebase';
import { h } from '../../dom';
import { showError } from '../../app';

/** The button and the place for its refusal; `onLapsed` when the server says the time is up. */
export function payButton(donationId: string, onLapsed?: () => void): HTMLElement {
  const problem = h('p', { class: 'result', 'data-status': 'refused', 'data-testid': 'pay-error' });
  const button = h(
    'button',
    { type: 'button', 'data-testid': 'pay-button', 'data-donation-id': donationId },
    '去支付宝支付',
  );
  button.addEventListener('click', async () => {
    button.disabled = true;
    button.textContent = '正在打开支付宝…';
    problem.textContent = '';
    try {
      const { payUrl } = await call('startPayment', { donationId });
      location.assign(payUrl);
    } catch (error) {
      button.disabled = false;
      button.textContent = '去支付宝支付';
      problem.textContent = showError(error);
      if ((error as CallError).code === 'functions/failed-precondition') onLapsed?.();
    }
  });
  return h('div', { class: 'stack' }, button, problem);
}
