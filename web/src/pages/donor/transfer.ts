/**
 * 银行转账: a pledged money gift paid by the donor's own transfer to the household's account.
 * The account (the household head's full name and number) is asked for only when the donor taps,
 * one donation at a time, and every look is recorded on the server like a reveal; it is never
 * kept in the page's storage. The gift is 已到账 only once the village records the arrival.
 */
import { call } from '../../firebase';
import { h } from '../../dom';
import { chinaDateTime, yuan } from '../../format';
import { showError } from '../../app';

/** 4 digits a group, as a passbook prints them, so that the donor can copy it without a slip. */
function grouped(account: string): string {
  return account.replace(/\s/g, '').replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** The button, and once tapped the payee, account, amount and deadline. */
export function transferAccountBlock(donationId: string): HTMLElement {
  const host = h('div', {
    class: 'stack transfer',
    'data-testid': 'transfer-account',
    'data-donation-id': donationId,
  });
  const open = h(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'show-transfer-account' },
    '查看收款账户',
  );
  const note = h(
    'p',
    { class: 'muted' },
    '收款账户为受助户本人的银行账户。查看会被记录，请勿转发给他人。',
  );
  open.addEventListener('click', async () => {
    open.disabled = true;
    try {
      const account = await call('getTransferAccount', { donationId });
      open.remove();
      host.append(
        h(
          'dl',
          { class: 'record' },
          h('dt', {}, '收款人'),
          h('dd', { 'data-testid': 'transfer-payee' }, account.payeeName),
          h('dt', {}, '收款账号'),
          h(
            'dd',
            {
              class: 'serial',
              'data-testid': 'transfer-bank-account',
              'data-account': account.bankAccount,
            },
            grouped(account.bankAccount),
          ),
          h('dt', {}, '转账金额'),
          h('dd', { 'data-testid': 'transfer-amount' }, yuan(account.amountFen)),
          h('dt', {}, '转账期限'),
          h('dd', { 'data-testid': 'transfer-pay-by' }, `${chinaDateTime(account.payBy)} 前`),
        ),
        h(
          'p',
          { class: 'muted' },
          '请按上面的金额一次转账（金额不一致将无法确认）。村里核对受助户的存折或银行短信后登记到账，之后即为已到账并生成荣誉证书。',
        ),
      );
    } catch (error) {
      open.disabled = false;
      showError(error);
    }
  });
  host.append(open, note);
  return host;
}
