/**
 * The identification section of a township's or county's dashboard: the rounds of its area this
 * year (those waiting for this office first, each opened at `#/round/{id}` to review, answer
 * objections or forward), and the year's quotas (规模控制) it splits to the level below.
 */
import { call } from '../../firebase';
import { h, toast } from '../../dom';
import { showError, type Session } from '../../app';
import type { RoundSummary } from '../../../../functions/src/contract/identification';
import type { RoundStage } from '../../../../functions/src/domain/identification';

/** The stages in which a round waits for each office. */
const waitingFor: Record<string, readonly RoundStage[]> = {
  township_admin: ['township_review', 'second_notice'],
  county_admin: ['county_review'],
};

interface Child {
  code: string;
  name: string;
  level: string;
}

function quotaRows(
  year: number,
  children: readonly Child[],
  known: Map<string, number>,
): HTMLElement {
  return h(
    'div',
    { class: 'stack', 'data-testid': 'quota-list' },
    children.map((child) => {
      const input = h('input', {
        type: 'number',
        min: '0',
        inputmode: 'numeric',
        placeholder: '户数',
        value: known.has(child.code) ? String(known.get(child.code)) : '',
        'aria-label': `${child.name}的规模`,
        'data-testid': 'quota-input',
        'data-code': child.code,
      });
      const save = h(
        'button',
        { type: 'button', class: 'secondary', 'data-testid': 'quota-save' },
        '保存',
      );
      const note = h('span', { class: 'muted small-left', 'data-testid': 'quota-note' });
      save.addEventListener('click', async () => {
        const quota = Number(input.value);
        if (input.value.trim() === '' || !Number.isInteger(quota) || quota < 0) {
          return void toast('请填写规模（户数，整数）');
        }
        save.disabled = true;
        try {
          // Setting a quota is idempotent (the value replaces the last): no request id needed.
          const answer = await call('setIdentificationQuota', {
            regionCode: child.code,
            year,
            quota,
          });
          note.textContent = `已保存：${answer.quota} 户（已分配 ${answer.allotted} 户）`;
          toast(`${child.name} ${year}年规模已保存`);
        } catch (error) {
          note.textContent = showError(error);
        } finally {
          save.disabled = false;
        }
      });
      return h(
        'div',
        { class: 'quota-row', 'data-testid': 'quota-row', 'data-code': child.code },
        h('span', {}, child.name),
        input,
        save,
        note,
      );
    }),
  );
}

/**
 * The section, filled in after the dashboard shows (its own request); nothing for an office that
 * takes no part in identification, or for a region that is not a township or county.
 */
export function identificationSection(
  session: Session,
  region: { code: string; level: string },
): HTMLElement | null {
  const waiting = waitingFor[session.role];
  if (!waiting || (region.level !== 'township' && region.level !== 'county')) return null;
  // The year in China (UTC+8), as the rounds count it.
  const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
  const host = h('div', {}, h('p', { class: 'muted' }, '加载中…'));
  const setsQuotas =
    (session.role === 'township_admin' && region.level === 'township') ||
    (session.role === 'county_admin' && region.level === 'county');
  void (async () => {
    let rounds: RoundSummary[];
    let roundCard: (round: RoundSummary, showVillage?: boolean) => HTMLElement;
    // Every division below (the division table), not only those with figures yet: a village
    // with no household on the platform still gets its quota.
    let children: Child[] = [];
    try {
      // The round cards come with the village tab's chunk, loaded only here.
      const [list, divisions, pages] = await Promise.all([
        call('listIdentificationRounds', { regionCode: region.code, year }),
        setsQuotas ? call('listRegions', { parentCode: region.code }) : { regions: [] },
        import('./index'),
      ]);
      roundCard = pages.roundCard;
      rounds = list.rounds;
      children = divisions.regions;
    } catch (error) {
      host.replaceChildren(h('p', { class: 'warn' }, showError(error)));
      return;
    }
    const mine = rounds.filter((round) => waiting.includes(round.stage));
    const others = rounds.filter((round) => !waiting.includes(round.stage));
    const villageQuotas = new Map(
      rounds
        .filter((round) => round.quota !== null && round.kind === 'entry')
        .map((round) => [round.villageCode, round.quota as number]),
    );
    host.replaceChildren(
      ...[
        h('h3', {}, `待本级办理（${mine.length}）`),
        mine.length
          ? h(
              'ul',
              { class: 'rows', 'data-testid': 'office-rounds' },
              mine.map((round) => roundCard(round, true)),
            )
          : h('p', { class: 'muted', 'data-testid': 'office-rounds' }, '暂无待办。'),
        others.length
          ? h(
              'details',
              {},
              h('summary', {}, `其他识别工作（${others.length}）`),
              h(
                'ul',
                { class: 'rows' },
                others.map((round) => roundCard(round, true)),
              ),
            )
          : null,
        setsQuotas && children.length
          ? h(
              'div',
              { class: 'stack' },
              h(
                'h3',
                {},
                `${year}年新识别规模（${region.level === 'township' ? '分配到村' : '分配到乡镇'}）`,
              ),
              quotaRows(year, children, villageQuotas),
            )
          : null,
      ].filter((node) => node !== null),
    );
  })();
  return h(
    'section',
    { class: 'card', 'data-testid': 'identification-section' },
    h('h2', {}, `${year}年建档立卡识别`),
    host,
  );
}
