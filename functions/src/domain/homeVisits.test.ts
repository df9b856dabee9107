import { afterVisit, visitProgressRows } from './homeVisits';

const allSigned = { household: true, helper: true, cadre: true };

describe('a household’s 一户一册一卡 record', () => {
  it('counts each visitor once, keeps a correction, and completes on a visit all three signed', () => {
    const first = afterVisit(undefined, {
      visitorUid: 'helper1',
      corrected: true,
      signedBy: { ...allSigned, cadre: false },
    });
    expect(first).toEqual({ visitorUids: ['helper1'], corrected: true, completed: false });
    const second = afterVisit(first, {
      visitorUid: 'cadre',
      corrected: false,
      signedBy: allSigned,
    });
    expect(second).toEqual({ visitorUids: ['cadre', 'helper1'], corrected: true, completed: true });
    // The same visit recorded again changes nothing.
    expect(
      afterVisit(second, { visitorUid: 'cadre', corrected: false, signedBy: allSigned }),
    ).toEqual(second);
  });
});

describe('the 工作进展情况表', () => {
  it('reports distinct visitors, corrected and completed households, and the city sample', () => {
    const rows = visitProgressRows([
      {
        villageName: '新街村',
        visits: [
          { visitorUids: ['a', 'b'], corrected: true, completed: true },
          { visitorUids: ['a'], corrected: false, completed: true },
          { visitorUids: ['c'], corrected: true, completed: false },
        ],
        spotCheck: { sampled: true, households: 5 },
      },
      { villageName: '营盘村', visits: [], spotCheck: { sampled: false, households: 3 } },
      { villageName: '团结村', visits: [] },
    ]);
    expect(rows).toEqual([
      [1, '新街村', 3, 2, 2, 1, 5],
      [2, '营盘村', 0, 0, 0, 2, ''],
      [3, '团结村', 0, 0, 0, 2, ''],
    ]);
  });
});
