import { destination, hashParts, noticeIdOfPath, roleOfClaims, verifySerialOfPath } from './router';

describe('the hash router', () => {
  test.each([
    ['', undefined, { page: 'login' }],
    ['#/needs', undefined, { page: 'login' }],
    ['', 'village_admin', { page: 'village', tab: 'households' }],
    ['#/needs', 'village_admin', { page: 'village', tab: 'needs' }],
    ['#/capture', 'helper', { page: 'village', tab: 'capture' }],
    ['#/import', 'village_admin', { page: 'village', tab: 'import' }],
    ['#/nonsense', 'helper', { page: 'village', tab: 'households' }],
    ['#/need/n1', 'village_admin', { page: 'publicNeed', needId: 'n1' }],
    ['#/need/n1', 'donor', { page: 'publicNeed', needId: 'n1' }],
    ['', 'donor', { page: 'donor', tab: 'browse' }],
    ['#/needs', 'donor', { page: 'donor', tab: 'browse' }],
    ['#/mine', 'donor', { page: 'donor', tab: 'mine' }],
    ['#/profile', 'donor', { page: 'donor', tab: 'profile' }],
    ['#/mine', 'village_admin', { page: 'village', tab: 'households' }],
    ['', 'township_admin', { page: 'dashboard' }],
    ['#/region/320102', 'county_admin', { page: 'dashboard', regionCode: '320102' }],
    ['#/region/<script>', 'county_admin', { page: 'dashboard' }],
    ['', 'ops', { page: 'dashboard' }],
    ['#/staff', 'township_admin', { page: 'staff' }],
    ['#/staff', 'village_admin', { page: 'village', tab: 'households' }],
    ['#/staff', 'donor', { page: 'donor', tab: 'browse' }],
    [
      '#/village/320102001001',
      'township_admin',
      { page: 'village', tab: 'households', villageCode: '320102001001' },
    ],
    [
      '#/village/320102001001/needs',
      'county_admin',
      { page: 'village', tab: 'needs', villageCode: '320102001001' },
    ],
    ['#/village/3201/needs', 'county_admin', { page: 'dashboard' }],
    ['#/village/320102001001', 'helper', { page: 'village', tab: 'households' }],
    ['', 'treasurer', { page: 'unknownRole', role: 'treasurer' }],
    ['#/identification', 'village_admin', { page: 'village', tab: 'identification' }],
    [
      '#/round/520526105201_2026_entry',
      'village_admin',
      { page: 'round', roundId: '520526105201_2026_entry' },
    ],
    [
      '#/round/520526105201_2026_adjustment',
      'township_admin',
      { page: 'round', roundId: '520526105201_2026_adjustment' },
    ],
    ['#/round/520526105201_2026_other', 'township_admin', { page: 'dashboard' }],
    ['#/round/520526105201_2026_entry', 'donor', { page: 'donor', tab: 'browse' }],
    // 一户一册一卡: a household's file for every office, its sheet visit for the village's own.
    ['#/file/h123', 'helper', { page: 'householdFile', householdId: 'h123' }],
    ['#/file/h123', 'county_admin', { page: 'householdFile', householdId: 'h123' }],
    ['#/file/h123', 'donor', { page: 'donor', tab: 'browse' }],
    ['#/file/a.b', 'village_admin', { page: 'village', tab: 'households' }],
    ['#/visit/h123', 'helper', { page: 'sheetVisit', householdId: 'h123' }],
    ['#/visit/h123', 'township_admin', { page: 'dashboard' }],
    ['#/unification', 'village_admin', { page: 'village', tab: 'unification' }],
    [
      '#/village/320102001001/unification',
      'township_admin',
      { page: 'village', tab: 'unification', villageCode: '320102001001' },
    ],
  ])('%p as %p → %p', (hash, role, expected) => expect(destination(hash, role)).toEqual(expected));

  it('splits and decodes the hash', () => {
    expect(hashParts('#/need/a%2Fb/')).toEqual(['need', 'a/b']);
    expect(hashParts('#/need/%E0%A4')).toEqual(['need', '%E0%A4']);
    expect(hashParts('')).toEqual([]);
  });

  it('treats a signed-in account without a role claim as a donor', () => {
    expect(roleOfClaims({})).toBe('donor');
    expect(roleOfClaims({ role: '' })).toBe('donor');
    expect(roleOfClaims({ role: 'helper', region: '320102001001' })).toBe('helper');
    expect(roleOfClaims({ role: 7 })).toBe('donor');
  });
});

describe('the verification path', () => {
  test.each([
    ['/verify/FP-2026-7K3M-9QXA-D2VE', 'FP-2026-7K3M-9QXA-D2VE'],
    ['/verify/fp-2026-7k3m-9qxa-d2ve/', 'FP-2026-7K3M-9QXA-D2VE'],
    ['/verify/%20FP-2026-7K3M-9QXA-D2VE%20', 'FP-2026-7K3M-9QXA-D2VE'],
    ['/verify/%E0%A4', '%E0%A4'],
    ['/verify', ''],
    ['/verify/', ''],
    ['/', undefined],
    ['/index.html', undefined],
    ['/verify/a/b', undefined],
    ['/verifyX/FP', undefined],
  ])('%p → %p', (path, serial) => expect(verifySerialOfPath(path)).toBe(serial));

  it('caps what it passes on', () => {
    expect(verifySerialOfPath(`/verify/${'A'.repeat(100)}`)).toHaveLength(40);
  });
});

describe('the public notice path', () => {
  test.each([
    ['/notice/abc_123-X', 'abc_123-X'],
    ['/notice/abc/', 'abc'],
    ['/notice', ''],
    ['/notice/', ''],
    ['/notice/a%2Fb', ''],
    ['/notice/a/b', undefined],
    ['/', undefined],
    ['/noticeboard/x', undefined],
  ])('%p → %p', (path, id) => expect(noticeIdOfPath(path)).toBe(id));
});
