/** 建档立卡户: the village's households, their registration and the home-visit record. */
import { call } from '../../firebase';
import { h, toast } from '../../dom';
import { pageMount } from '../../navigation';
import { pending } from '../../submit';
import { pollUntil } from '../../poll';
import { showError, type Session } from '../../app';
import { dateUpToToday, header, submitSafely, tabs } from './shared';
import type { VillageHouseholdRow } from '../../../../functions/src/contract/households';

/** Registration figures are kept by a trigger: how long the page waits for them to move. */
const figuresPoll = { attempts: 8, delayMs: 400 };

export async function householdsTab(_session: Session, _villageCode?: string): Promise<void> {
  const mount = pageMount();
  let overview = await call('getVillageOverview', { pageSize: 50 });
  // The figures must reach at least the count on arrival plus what this page has registered
  // since (a household registered from another phone meanwhile only makes them higher).
  const baseline = overview.stats.registeredHouseholds;
  let registeredHere = 0;
  let followUps = 0;
  const figures = h('div', {}, header(overview));
  const list = h('ul', { class: 'rows' });

  const refreshFigures = async (): Promise<void> => {
    const expected = baseline + registeredHere;
    const { value, settled } = await pollUntil(
      () => call('getVillageOverview', { pageSize: 1 }),
      (latest) => latest.stats.registeredHouseholds >= expected,
      figuresPoll,
    );
    overview = value;
    // Still behind: say so, and look again a little later, a few times at most.
    const again = !settled && followUps < 3;
    figures.replaceChildren(header(overview, again));
    if (again) {
      followUps += 1;
      window.setTimeout(() => void refreshFigures().catch(() => undefined), 5000);
    }
  };

  const registeredBadge = () => h('span', { class: 'badge ok' }, '已注册');

  const registerButton = (householdId: string, slot: HTMLElement, kept: boolean) => {
    const button = h(
      'button',
      { type: 'button', 'data-testid': 'register-button' },
      kept ? '继续注册' : '注册',
    );
    button.addEventListener('click', () => void register(householdId, slot, button));
    return kept
      ? [
          button,
          h(
            'span',
            { class: 'muted small', 'data-testid': 'register-pending' },
            '上次提交未确认，可放心再点',
          ),
        ]
      : [button];
  };

  const register = async (householdId: string, slot: HTMLElement, button: HTMLButtonElement) => {
    button.disabled = true;
    const row = slot.closest('li');
    await submitSafely(
      `register.${householdId}`,
      'registerHousehold',
      { householdId },
      slot,
      async (result) => {
        slot.replaceChildren(registeredBadge());
        row?.setAttribute('data-registered', 'true');
        toast(result.alreadyRegistered ? '该户此前已注册' : '已注册');
        if (!result.alreadyRegistered) registeredHere += 1;
        followUps = 0;
        await refreshFigures().catch(() => {
          figures.replaceChildren(header(overview, true));
        });
      },
      () => slot.replaceChildren(...registerButton(householdId, slot, false)),
    );
  };

  // Rows already on the page: a household whose registration changed between two pages can
  // come back in the next one; it is shown once. Returns how many rows were new.
  const shown = new Set<string>();
  const render = (rows: VillageHouseholdRow[]): number => {
    const fresh = rows.filter((household) => !shown.has(household.id));
    for (const household of fresh) {
      shown.add(household.id);
      // The button and, after a network failure, its retry offer live in their own slot.
      const slot = h('div', { class: 'slot' });
      // Registered although a request is still kept: its answer was lost on the way back.
      if (household.registered) pending.settle(`register.${household.id}`);
      slot.append(
        ...(household.registered
          ? [registeredBadge()]
          : registerButton(
              household.id,
              slot,
              pending.get(`register.${household.id}`) !== undefined,
            )),
      );
      list.append(
        h(
          'li',
          {
            'data-testid': 'household-row',
            'data-id': household.id,
            'data-registered': String(household.registered),
          },
          h(
            'div',
            {},
            h('strong', {}, household.headName),
            household.cardColour
              ? h(
                  'span',
                  { class: `card-${household.cardColour}` },
                  household.cardColour === 'red' ? '红卡' : '蓝卡',
                )
              : null,
            h(
              'div',
              { class: 'muted' },
              `身份证尾号 ${household.idLast4} · ${household.members}人 · ${household.statusLabel}`,
            ),
          ),
          slot,
          visitForm(household.id),
        ),
      );
    }
    return fresh.length;
  };
  render(overview.households);

  let next = overview.next;
  const more = h(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'load-more' },
    '加载更多',
  );
  more.addEventListener('click', async () => {
    more.disabled = true;
    more.textContent = '加载中…';
    try {
      const page = await call('getVillageOverview', {
        pageSize: 50,
        ...(next ? { after: next } : {}),
      });
      // A page with nothing new would only repeat itself: stop offering more.
      next = render(page.households) > 0 ? page.next : null;
    } catch (error) {
      showError(error);
    }
    more.disabled = false;
    more.textContent = '加载更多';
    if (!next) more.remove();
  });
  mount(
    figures,
    tabs('households'),
    h(
      'section',
      { class: 'card' },
      overview.households.length
        ? list
        : h('p', { class: 'muted' }, '本村还没有建档立卡户，请先在“导入名单”中导入。'),
      next ? more : null,
    ),
  );
}

/**
 * 入户登记 (一户一册一卡, seed 004): after checking the household's information sheet in person,
 * record whether anything was corrected and who signed; the township's progress table counts it.
 */
function visitForm(householdId: string): HTMLElement {
  const visitedOn = dateUpToToday('入户日期');
  const box = (testId: string) => h('input', { type: 'checkbox', 'data-testid': testId });
  const corrected = box('visit-corrected');
  const signed = {
    household: box('visit-household'),
    helper: box('visit-helper'),
    cadre: box('visit-cadre'),
  };
  const host = h('div');
  const form = h(
    'form',
    {
      class: 'stack',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        await submitSafely(
          `recordHomeVisit.${householdId}`,
          'recordHomeVisit',
          {
            householdId,
            visitedOn: visitedOn.value,
            corrected: corrected.checked,
            signedBy: {
              household: signed.household.checked,
              helper: signed.helper.checked,
              cadre: signed.cadre.checked,
            },
          },
          host,
          (result) => {
            toast(result.completed ? '入户登记已完成' : '已记录，待三方签字后完成');
            (form.closest('details') as HTMLDetailsElement | null)?.removeAttribute('open');
          },
        );
      },
    },
    visitedOn,
    h('label', { class: 'check' }, corrected, '信息有误，已修改更新'),
    h('label', { class: 'check' }, signed.household, '贫困户已签字'),
    h('label', { class: 'check' }, signed.helper, '帮扶联系人已签字'),
    h('label', { class: 'check' }, signed.cadre, '村干已签字'),
    h('button', { type: 'submit', 'data-testid': 'visit-submit' }, '保存入户登记'),
    host,
  );
  return h('details', { 'data-testid': 'home-visit' }, h('summary', {}, '入户登记'), form);
}
