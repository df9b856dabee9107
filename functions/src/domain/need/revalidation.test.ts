import { publishedNeed } from './fixtures';
import { revalidationPatch, validateStoredNeed } from './revalidation';

describe('re-validation reaches a fixed point', () => {
  const apply = (doc: Record<string, unknown>, patch: object | null) =>
    patch ? { ...doc, ...patch } : doc;

  test.each([
    ['a valid published need', {}, null, 'published'],
    ['a published need with a bidi name', { headName: '张\u202E国华' }, 'invalid', 'invalid'],
    [
      'a matched need with a console edit',
      { status: 'matched', amountFen: -1 },
      undefined,
      'matched',
    ],
  ])('%s', (_label, change, patchedStatus, finalStatus) => {
    const doc: Record<string, unknown> = { ...publishedNeed(), ...change };
    const first = revalidationPatch(doc, validateStoredNeed(doc));
    if (patchedStatus === null) expect(first).toBeNull();
    else expect(first?.status).toBe(patchedStatus);
    const after = apply(doc, first);
    expect(after.status).toBe(finalStatus);
    // A second delivery of the same event finds nothing to write.
    expect(revalidationPatch(after, validateStoredNeed(after))).toBeNull();
  });

  it('takes a need with an unknown status down, then back to review', () => {
    const typo: Record<string, unknown> = { ...publishedNeed(), status: 'publised' };
    const first = revalidationPatch(typo, validateStoredNeed(typo));
    expect(first).toEqual({ status: 'invalid', problems: ['status:invalid_value'] });
    const marked = { ...typo, ...first };
    const second = revalidationPatch(marked, validateStoredNeed(marked));
    expect(second).toEqual({ status: 'submitted', problems: [] });
    const back = { ...marked, ...second };
    expect(revalidationPatch(back, validateStoredNeed(back))).toBeNull();
  });

  it('keeps a need of a household stably out of poverty taken down, rather than flipping forever', () => {
    const household = {
      villageCode: publishedNeed().villageCode as string,
      status: 'stably_out' as const,
    };
    let doc: Record<string, unknown> = { ...publishedNeed(), status: 'submitted', review: null };
    const first = revalidationPatch(doc, validateStoredNeed(doc, { household }));
    expect(first).toEqual({ status: 'invalid', problems: ['householdId:household_stably_out'] });
    doc = { ...doc, ...first };
    expect(revalidationPatch(doc, validateStoredNeed(doc, { household }))).toBeNull();
  });

  it('records problems on a matched need without moving it', () => {
    const doc = { ...publishedNeed(), status: 'matched', amountFen: -1 };
    expect(revalidationPatch(doc, validateStoredNeed(doc))).toEqual({
      problems: ['amountFen:money_too_small'],
    });
  });

  it('sends a corrected invalid need back to review, once', () => {
    const invalid = { ...publishedNeed(), status: 'invalid', problems: ['headName:name_bidi'] };
    const patch = revalidationPatch(invalid, validateStoredNeed(invalid));
    expect(patch).toEqual({ status: 'submitted', problems: [] });
    const after = { ...invalid, ...patch };
    expect(revalidationPatch(after, validateStoredNeed(after))).toBeNull();
  });
});
