/** For offices (township and up): their staff, appointing the level below, and removing. */
import { h } from '../dom';
import { pageMount } from '../navigation';
import type { Session } from '../app';

export async function staffPage(_session: Session): Promise<void> {
  const mount = pageMount();
  mount(h('p', { class: 'muted' }, '加载中…'));
}
