import { issuesOf } from '../validation/issues';
import { typedSerialSchema } from './record';
import { normalizeSerial } from './serial';

const serial = 'FP-2026-7K3M-9QXA-D210';

describe('serials typed from paper', () => {
  test.each([
    ['as printed', 'FP-2026-7K3M-9QXA-D210'],
    ['lower case', 'fp-2026-7k3m-9qxa-d210'],
    ['O for 0', 'FP-2O26-7K3M-9QXA-D21O'],
    ['o for 0', 'fp-2o26-7k3m-9qxa-d21o'],
    ['I for 1', 'FP-2026-7K3M-9QXA-D2I0'],
    ['L for 1', 'FP-2026-7K3M-9QXA-D2L0'],
    ['l for 1', 'FP-2026-7K3M-9QXA-D2l0'],
    ['no dashes', 'FP20267K3M9QXAD210'],
    ['spaces for dashes', 'FP 2026 7K3M 9QXA D210'],
    ['full-width spaces', 'FP　2026　7K3M　9QXA　D210'],
    ['full-width characters', 'ＦＰ－２０２６－７Ｋ３Ｍ－９ＱＸＡ－Ｄ２１０'],
    ['em dashes', 'FP—2026—7K3M—9QXA—D210'],
    ['en dashes and a minus', 'FP–2026−7K3M–9QXA–D210'],
    ['without FP', '2026-7K3M-9QXA-D210'],
    ['spaces around', '  FP-2026-7K3M-9QXA-D210 \n'],
    ['dashes in the wrong places', 'FP2-0267-K3M9-QXAD-210'],
    ['everything at once', ' ｆｐ 2o26 7k3m-9qxa—ｄ２ｌo '],
  ])('%s: %j', (_, typed) => {
    expect(normalizeSerial(typed)).toBe(serial);
    expect(typedSerialSchema.parse(typed)).toBe(serial);
  });

  test.each([
    ['U, which Crockford leaves out', 'FP-2026-7K3M-9QXA-D2U0'],
    ['a symbol short', 'FP-2026-7K3M-9QXA-D21'],
    ['a symbol too many', 'FP-2026-7K3M-9QXA-D2100'],
    ['a letter in the year', 'FP-20Z6-7K3M-9QXA-D210'],
    ['another prefix', 'XP-2026-7K3M-9QXA-D210'],
    ['punctuation inside', 'FP-2026-7K3M-9QXA-D2!0'],
    ['empty', ''],
    ['a need id', 'need-520526105201-001'],
  ])('refuses %s', (_, typed) => {
    expect(normalizeSerial(typed)).toBeUndefined();
    const parsed = typedSerialSchema.safeParse(typed);
    expect(parsed.success).toBe(false);
    expect(issuesOf(parsed.error)).toEqual([{ path: '', code: 'serial_invalid' }]);
  });
});
