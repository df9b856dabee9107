/**
 * The village page, for village information administrators and helpers: households and their
 * registration, the need review queue, need capture with evidence photos, and roster import,
 * one tab per file.
 */
import { errorCard, h } from '../../dom';
import { pageMount } from '../../navigation';
import type { VillageTab } from '../../router';
import { showError, type Session } from '../../app';
import { householdsTab } from './households';
import { needsTab } from './needs';
import { captureTab } from './capture';
import { importTab } from './import';

/**
 * `villageCode` is set when an office (township and up) opens one of its villages from the
 * dashboard: it sees the households and needs tabs, and acts only as its role allows.
 */
export async function villagePage(
  session: Session,
  page: VillageTab,
  villageCode?: string,
): Promise<void> {
  const mount = pageMount();
  mount(h('p', { class: 'muted' }, '加载中…'));
  try {
    if (page === 'needs') return await needsTab(session, villageCode);
    if (villageCode === undefined && page === 'capture') return await captureTab();
    if (villageCode === undefined && page === 'import') return await importTab();
    if (villageCode === undefined && page === 'identification') {
      // Its own chunk: the forms of a yearly procedure stay off the everyday first page.
      return await (await import('../identification')).identificationTab(session);
    }
    if (page === 'unification') {
      return await (
        await import('../householdFile/unification')
      ).unificationTab(session, villageCode);
    }
    return await householdsTab(session, villageCode);
  } catch (error) {
    mount(errorCard(showError(error), () => void villagePage(session, page, villageCode)));
  }
}
