/**
 * The seeded demo township: one township of a real county code with ten villages, 550 roster
 * households with valid-checksum (fictional) ID numbers, their staff and a few donors. Generated
 * from a fixed seed, so every start produces the same township.
 */
import { cardColourOf, povertyCauses, type HouseholdStatus } from '../src/domain/household';
import { checkCharOf, idLast4 } from '../src/domain/idNumber';
import { householdSearchFieldsOf } from '../src/domain/householdSearch';
import { regionFieldsOf } from '../src/domain/regions';
import type { Role } from '../src/domain/roles';

export const demoPassword = 'fupin-demo-2026';
export const latestExitYear = 2020;

export const demoRegions = {
  province: { code: '52', name: '贵州省' },
  city: { code: '5205', name: '毕节市' },
  county: { code: '520526', name: '威宁彝族回族苗族自治县' },
  township: { code: '520526105', name: '石门乡' },
};

const villageNames = [
  '新街村',
  '营盘村',
  '团结村',
  '民主村',
  '年丰村',
  '泉发村',
  '石门坎村',
  '新龙村',
  '开阳村',
  '银河村',
];

export const demoVillages = villageNames.map((name, index) => ({
  code: `${demoRegions.township.code}${String(201 + index)}`,
  name,
}));

/** The demo township's divisions, from the province down to its villages: the table `--empty` loads. */
export function demoDivisions(): Array<{ code: string; name: string }> {
  return [...Object.values(demoRegions), ...demoVillages];
}

export interface DemoAccount {
  uid: string;
  label: string;
  role: Role;
  region: string;
  email?: string;
  phone?: string;
  name: string;
}

export interface DemoHousehold {
  id: string;
  idNumber: string;
  doc: Record<string, unknown>;
}

/** A small deterministic PRNG (mulberry32): the same township on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const surnames = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '罗',
  '龙',
  '禄',
  '安',
  '欧阳',
];
const givenChars = [
  '国',
  '华',
  '明',
  '芳',
  '秀',
  '英',
  '建',
  '平',
  '志',
  '强',
  '兰',
  '军',
  '红',
  '云',
  '林',
  '春',
  '贵',
  '富',
  '顺',
  '珍',
  '赟',
  '犇',
  '淼',
  '鑫',
  '昇',
  '喆',
  '堃',
];
const causes = povertyCauses;

export function demoAccounts(): DemoAccount[] {
  const accounts: DemoAccount[] = [
    {
      uid: 'demo-ops',
      label: '运维',
      role: 'ops',
      region: '',
      email: 'ops@demo.fupin.cn',
      name: '平台运维',
    },
    {
      uid: 'demo-county',
      label: `县级管理员 · ${demoRegions.county.name}`,
      role: 'county_admin',
      region: demoRegions.county.code,
      email: 'county@demo.fupin.cn',
      name: '县扶贫办',
    },
    {
      uid: 'demo-township',
      label: `镇级管理员 · ${demoRegions.township.name}`,
      role: 'township_admin',
      region: demoRegions.township.code,
      email: 'township@demo.fupin.cn',
      name: '乡扶贫工作站',
    },
  ];
  demoVillages.forEach((village, index) => {
    const n = String(index + 1).padStart(2, '0');
    for (const slot of ['a', 'b']) {
      accounts.push({
        uid: `demo-v${n}${slot}`,
        label: `村级信息管理员 · ${village.name}${slot === 'b' ? '（二）' : ''}`,
        role: 'village_admin',
        region: village.code,
        email: `v${n}${slot}@demo.fupin.cn`,
        name: `${village.name}信息员${slot === 'a' ? '甲' : '乙'}`,
      });
    }
  });
  [0, 0, 1].forEach((villageIndex, index) => {
    const village = demoVillages[villageIndex] as (typeof demoVillages)[number];
    accounts.push({
      uid: `demo-helper${index + 1}`,
      label: `帮扶责任人 ${index + 1} · ${village.name}`,
      role: 'helper',
      region: village.code,
      email: `helper${index + 1}@demo.fupin.cn`,
      name: `帮扶干部${index + 1}`,
    });
  });
  ['+8613800000001', '+8613800000002', '+8613800000003'].forEach((phone, index) => {
    accounts.push({
      uid: `demo-donor${index + 1}`,
      label: `爱心人士 ${index + 1}`,
      role: 'donor',
      region: '',
      phone,
      name: ['李爱心', '黔西北建材有限公司', '王老师'][index] as string,
    });
  });
  return accounts;
}

function idNumberFor(rand: () => number, sequence: number): string {
  const year = 1940 + Math.floor(rand() * 60);
  const month = 1 + Math.floor(rand() * 12);
  const day = 1 + Math.floor(rand() * 28);
  const first17 = `${demoRegions.county.code}${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${String(sequence % 1000).padStart(3, '0')}`;
  return first17 + checkCharOf(first17);
}

/** 55 households per village; village n has a registration share that grows with n. */
export function demoHouseholds(): DemoHousehold[] {
  const rand = random(20171017);
  const helpers = demoAccounts().filter((account) => account.role === 'helper');
  const households: DemoHousehold[] = [];
  demoVillages.forEach((village, villageIndex) => {
    for (let i = 0; i < 55; i++) {
      const surname = surnames[Math.floor(rand() * surnames.length)] as string;
      const givenLength = rand() < 0.3 ? 1 : 2;
      let given = '';
      for (let g = 0; g < givenLength; g++)
        given += givenChars[Math.floor(rand() * givenChars.length)];
      const idNumber = idNumberFor(rand, villageIndex * 55 + i);
      const statusRoll = rand();
      const status: HouseholdStatus =
        statusRoll < 0.1
          ? 'not_out'
          : statusRoll < 0.15
            ? 'returned'
            : statusRoll < 0.85
              ? 'out'
              : 'stably_out';
      const outYear =
        status === 'out' || status === 'stably_out' ? 2016 + Math.floor(rand() * 5) : null;
      const helper = helpers.find(
        (candidate) => candidate.region === village.code && i % 10 === helpers.indexOf(candidate),
      );
      const registered = i < Math.round(55 * (0.45 + villageIndex * 0.05));
      households.push({
        id: `h${village.code}${String(i + 1).padStart(3, '0')}`,
        idNumber,
        doc: {
          ...regionFieldsOf(village.code),
          headName: surname + given,
          idLast4: idLast4(idNumber),
          address: `${demoRegions.county.name}${demoRegions.township.name}${village.name}${1 + (i % 8)}组${10 + i}号`,
          members: 1 + Math.floor(rand() * 6),
          causes: [causes[Math.floor(rand() * causes.length)] as string],
          annualIncomeFen: Math.round((2000 + rand() * 6000) * 100),
          status,
          outYear,
          // Every seventh household still poor came in at the latest adjustment (a blue card).
          ...(status === 'not_out' && i % 7 === 0 ? { includedYear: latestExitYear } : {}),
          cardColour: cardColourOf(
            {
              status,
              outYear,
              includedYear: status === 'not_out' && i % 7 === 0 ? latestExitYear : null,
            },
            latestExitYear,
          ),
          helperUid: helper?.uid ?? null,
          ...householdSearchFieldsOf({ headName: surname + given, helperUid: helper?.uid }),
          onRoster: true,
          registered,
        },
      });
    }
  });
  return households;
}

export interface DemoNeed {
  id: string;
  need: Record<string, unknown>;
  needPrivate: Record<string, unknown>;
  photoIds: string[];
}

const demoNeedTemplates = [
  {
    category: 'medical',
    kind: 'money',
    amountFen: 800_000,
    reason: '户主患慢性肾病需长期透析，医保报销后每月仍有较大缺口',
  },
  {
    category: 'education',
    kind: 'money',
    amountFen: 300_000,
    reason: '两个孩子在读初中，住校生活费和交通费负担重',
  },
  {
    category: 'housing',
    kind: 'money',
    amountFen: 2_000_000,
    reason: '土坯房经鉴定为C级危房，雨季漏雨，需要加固改造',
  },
  {
    category: 'necessities',
    kind: 'goods',
    guarantee: 'clothing',
    items: [
      { name: '棉被', quantity: 2, unit: '床' },
      { name: '冬衣', quantity: 4, unit: '件' },
    ],
    reason: '高寒山区冬季气温低，家中老人孩子缺少御寒衣被',
  },
  {
    category: 'industry',
    kind: 'goods',
    guarantee: 'food',
    items: [{ name: '马铃薯良种', quantity: 500, unit: '公斤' }],
    reason: '家中有耕地五亩，缺少良种，发展种植以保口粮和增收',
  },
  {
    category: 'medical',
    kind: 'goods',
    items: [{ name: '轮椅', quantity: 1, unit: '辆' }],
    reason: '户主下肢残疾行动不便，需要轮椅外出就医',
  },
] as const;

const autoIdChars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A need id as Firestore's `doc()` makes one (20 characters), drawn from a seeded generator so
 * that every `npm run seed` makes the same ids. Donors see need ids: one made of the village's
 * division code would tell them the first digits of every ID number in that county.
 */
function autoId(rand: () => number): string {
  let id = '';
  for (let i = 0; i < 20; i++) id += autoIdChars[Math.floor(rand() * autoIdChars.length)];
  return id;
}

/** A version-4 UUID (the evidence photo id the web client would make), seeded likewise. */
function uuidV4(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  const text = hex.join('');
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}

/** The statuses each village's needs are in: every state appears, and match rates differ. */
const demoNeedStatuses = [
  'published',
  'matched',
  'fulfilled',
  'closed',
  'submitted',
  'under_review',
  'rejected',
  'withdrawn',
  'published',
  'published',
] as const;

/**
 * Needs in every state: village n has n + 3 needs, cycling through the statuses, so the villages'
 * match rates spread around the 60 % target. Need and evidence photo ids are random but the same
 * on every seed; the seed uploads a generated photo for each through the evidence pipeline.
 */
export function demoNeeds(households: DemoHousehold[]): DemoNeed[] {
  const needs: DemoNeed[] = [];
  const idRand = random(20261130);
  demoVillages.forEach((village, villageIndex) => {
    const candidates = households.filter(
      (household) =>
        household.doc.villageCode === village.code &&
        household.doc.registered === true &&
        household.doc.status !== 'stably_out',
    );
    const count = villageIndex + 3;
    // One need per township arrives for a household stably out of poverty: the re-validation
    // trigger marks it invalid, so that state is on show too.
    const stablyOut = households.find(
      (h) => h.doc.villageCode === village.code && h.doc.status === 'stably_out',
    );
    const chosen =
      villageIndex === 4 && stablyOut
        ? [...candidates.slice(0, count), stablyOut]
        : candidates.slice(0, count);
    for (let i = 0; i < chosen.length; i++) {
      const household = chosen[i] as DemoHousehold;
      const template = demoNeedTemplates[
        (villageIndex + i) % demoNeedTemplates.length
      ] as (typeof demoNeedTemplates)[number];
      const status = demoNeedStatuses[
        (i + (villageIndex % 3)) % demoNeedStatuses.length
      ] as (typeof demoNeedStatuses)[number];
      const id = autoId(idRand);
      const photoId = uuidV4(idRand);
      const reviewed = ['published', 'matched', 'fulfilled', 'closed', 'rejected'].includes(status);
      const bank =
        template.kind === 'money'
          ? `62170022${String(100000000 + villageIndex * 1000 + i).padStart(11, '0')}`
          : null;
      needs.push({
        id,
        photoIds: [photoId],
        need: {
          householdId: household.id,
          ...regionFieldsOf(village.code),
          category: template.category,
          guarantee:
            'guarantee' in template
              ? template.guarantee
              : (
                  {
                    medical: 'basic_medical',
                    education: 'compulsory_education',
                    housing: 'safe_housing',
                  } as Record<string, string>
                )[template.category],
          headName: household.doc.headName,
          idLast4: idLast4(household.idNumber),
          address: household.doc.address,
          reason: template.reason,
          evidencePhotoIds: [photoId],
          adminName: `${village.name}信息员甲`,
          status,
          review: reviewed
            ? {
                date: '2026-11-02',
                reviewerName: `${village.name}信息员甲`,
                opinion: status === 'rejected' ? 'reject' : 'publish',
                ...(status === 'rejected' ? { reasonCodes: ['evidence_insufficient'] } : {}),
              }
            : null,
          problems: [],
          kind: template.kind,
          ...(template.kind === 'money'
            ? {
                amountFen: template.amountFen,
                bankLast4: (bank as string).slice(-4),
                bankLuhnOk: false,
              }
            : { items: template.items.map((item) => ({ ...item })) }),
          submittedBy: `demo-v${String(villageIndex + 1).padStart(2, '0')}a`,
          submittedRole: 'village_admin',
        },
        needPrivate: { idNumber: household.idNumber, bankAccount: bank, villageCode: village.code },
      });
    }
  });
  return needs;
}

/** A gift of a demo donor, as the seed writes it (the seed adds the giver and the times). */
export interface DemoGift {
  id: string;
  needId: string;
  donorUid: string;
  kind: 'money' | 'goods';
  /**
   * Money is written `received`, as a paid pledge is left (with its receipt: the seed writes a
   * payment receipt for it), on matched, fulfilled and closed needs alike: only money received
   * covers a need. Goods on a matched need are shipped (the real settlement matches it); gifts of
   * fulfilled and closed needs are written as the callables leave them: delivered goods.
   */
  status: 'received' | 'shipped' | 'delivered';
  amountFen?: number;
  items?: Array<{ itemIndex: number; name: string; unit: string; quantity: number }>;
  trackingNumber?: string;
}

export interface DemoGiftPlan {
  gifts: DemoGift[];
  /** Fields that replace a need's seeded ones, so that its status and figures match its gifts. */
  needFields: Map<string, Record<string, unknown>>;
}

/** The day households confirmed receipt of the seeded gifts (China time). */
export const demoReceivedOn = '2026-11-20';

/**
 * Gifts that cover every matched, fulfilled and closed need (对接 means covered): money split
 * among one to three demo donors, received (paid), goods one pledge per item (a single item of
 * several units from two donors). Money needs carry the figures their received money gives;
 * matched goods needs are seeded published with their gifts shipped with a tracking number (the
 * first item of several already delivered), so the real settlement moves the need to matched.
 * Fulfilled and closed needs carry the household's receipt.
 */
export function demoGifts(needs: DemoNeed[], donorUids: readonly string[]): DemoGiftPlan {
  const gifts: DemoGift[] = [];
  const needFields = new Map<string, Record<string, unknown>>();
  let turn = 0;
  const nextDonor = () => donorUids[turn++ % donorUids.length] as string;
  needs.forEach((need, index) => {
    const status = String(need.need.status);
    if (!['matched', 'fulfilled', 'closed'].includes(status)) return;
    const settles = status === 'matched';
    const gift = (fields: Omit<DemoGift, 'id' | 'needId' | 'donorUid'>) =>
      gifts.push({
        id: `demo-gift-${gifts.length + 1}`,
        needId: need.id,
        donorUid: nextDonor(),
        ...fields,
      });
    const receipt = settles
      ? {}
      : { receipt: { receivedOn: demoReceivedOn, recordedBy: String(need.need.submittedBy) } };
    if (need.need.kind === 'money') {
      const amountFen = Number(need.need.amountFen);
      const parts = Math.min(donorUids.length, 1 + (index % 3));
      // Whole hundreds of yuan each; the last donor gives what is left.
      const share = Math.floor(amountFen / parts / 10_000) * 10_000;
      for (let part = 0; part < parts; part++) {
        gift({
          kind: 'money',
          status: 'received',
          amountFen: part < parts - 1 ? share : amountFen - share * (parts - 1),
        });
      }
      needFields.set(need.id, { raisedFen: amountFen, acceptedDonations: parts, ...receipt });
      return;
    }
    const items = need.need.items as Array<{ name: string; quantity: number; unit: string }>;
    items.forEach((item, itemIndex) => {
      const split =
        items.length === 1 && item.quantity > 1
          ? [Math.floor(item.quantity / 2), item.quantity - Math.floor(item.quantity / 2)]
          : [item.quantity];
      for (const quantity of split) {
        gift({
          kind: 'goods',
          status: !settles || (itemIndex === 0 && items.length > 1) ? 'delivered' : 'shipped',
          items: [{ itemIndex, name: item.name, unit: item.unit, quantity }],
          // 顺丰 waybill numbers: SF and 13 digits.
          trackingNumber: `SF${String(1_400_000_000_000 + gifts.length + 1)}`,
        });
      }
    });
    needFields.set(
      need.id,
      settles
        ? { status: 'published' }
        : {
            itemProgress: items.map((item) => ({
              pledged: item.quantity,
              delivered: item.quantity,
            })),
            ...receipt,
          },
    );
  });
  return { gifts, needFields };
}
