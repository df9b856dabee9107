/**
 * 结束 a fulfilled need, as the village information administrator does once the household has
 * confirmed receipt: only that village's administrator, only from 已完成, and a retry of the same
 * request answers the same without writing again.
 */
import { demoAccounts } from '../../functions/local/demoTownship';
import { adminDb, call, idle, newRequestId, signIn } from '../support/platform';

// 团结村 (v03): no other test moves its needs, so its seeded fulfilled need and figures stay put.
const village = '520526105203';
const otherVillage = '520526105208'; // 新龙村 (v08)

const adminEmailOf = (villageCode: string) =>
  demoAccounts().find(
    (account) => account.role === 'village_admin' && account.region === villageCode,
  )?.email as string;

async function needIn(villageCode: string, status: string): Promise<string> {
  const page = await adminDb()
    .collection('needs')
    .where('villageCode', '==', villageCode)
    .where('status', '==', status)
    .limit(1)
    .get();
  const doc = page.docs[0];
  if (!doc) throw new Error(`no ${status} need in ${villageCode}`);
  return doc.id;
}

const statusOf = async (needId: string) =>
  (await adminDb().collection('needs').doc(needId).get()).get('status') as string;

describe('closing a fulfilled need', () => {
  let admin: string;
  beforeAll(async () => {
    admin = await signIn(adminEmailOf(village));
  });

  it('refuses a published need, saying it must first be confirmed received', async () => {
    // 团结村 has no published need: a neighbour's, closed by its own administrator.
    const needId = await needIn(otherVillage, 'published');
    const own = await signIn(adminEmailOf(otherVillage));
    const refused = await call('closeNeed', { requestId: newRequestId(), needId }, own);
    expect(refused.error?.status).toBe('FAILED_PRECONDITION');
    expect(refused.error?.message).toContain('已发布');
    expect(refused.error?.message).toContain('确认收到');
    expect(await statusOf(needId)).toBe('published');
  });

  it("refuses another village's administrator and a helper, as if the need were not there", async () => {
    const needId = await needIn(village, 'fulfilled');
    const other = await signIn(adminEmailOf(otherVillage));
    const helper = await signIn('helper1@demo.fupin.cn');
    for (const token of [other, helper]) {
      const refused = await call('closeNeed', { requestId: newRequestId(), needId }, token);
      expect(refused.error?.status).toBe('PERMISSION_DENIED');
    }
    const missing = await call(
      'closeNeed',
      { requestId: newRequestId(), needId: 'no-such-need' },
      other,
    );
    expect(missing.error?.status).toBe('PERMISSION_DENIED');
    expect(await statusOf(needId)).toBe('fulfilled');
  });

  it('closes a fulfilled need once, and a retry of the same request answers the same', async () => {
    const needId = await needIn(village, 'fulfilled');
    const statsBefore = (await adminDb().collection('stats').doc(village).get()).data();
    const request = { requestId: newRequestId(), needId };

    const first = await call('closeNeed', request, admin);
    expect(first.error).toBeUndefined();
    expect(first.result).toEqual({ needId, status: 'closed' });
    await idle();
    const closed = await adminDb().collection('needs').doc(needId).get();
    expect(closed.get('status')).toBe('closed');
    expect(closed.get('closedBy')).toBe(`demo-v${village.slice(-2)}a`);
    // A closed need still counts as published, matched and fulfilled in the village's rates.
    const statsAfter = (await adminDb().collection('stats').doc(village).get()).data();
    for (const field of ['publishedNeeds', 'matchedNeeds', 'fulfilledNeeds'])
      expect(statsAfter?.[field]).toBe(statsBefore?.[field]);

    const again = await call('closeNeed', request, admin);
    expect(again).toEqual(first);
    await idle();
    expect((await adminDb().collection('needs').doc(needId).get()).updateTime).toEqual(
      closed.updateTime,
    );

    // Closing again with a new request is refused with what to do, not silently accepted.
    const second = await call('closeNeed', { requestId: newRequestId(), needId }, admin);
    expect(second.error?.status).toBe('FAILED_PRECONDITION');
    expect(second.error?.message).toContain('已结束');
  });
});
