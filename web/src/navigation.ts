/**
 * Which navigation is current. Every hash change (and sign-in or sign-out) begins a new one; a
 * page's answer that arrives after the user moved on belongs to an old one and must not replace
 * what they look at now (a slow 建档立卡户 answer landing on 需求审核, on a weak signal).
 */
import { mount } from './dom';

let current = 0;

/** Called by the router before it shows a page: everything started before is now stale. */
export function beginNavigation(): void {
  current += 1;
}

/** A check for "is the navigation that was current when this was called still current?". */
export function navigationCheck(): () => boolean {
  const mine = current;
  return () => mine === current;
}

/**
 * The `mount` a page uses, taken when the page starts (synchronously, from the router): once the
 * user has moved on it mounts nothing and says so (false).
 */
export function pageMount(): (...nodes: Array<Node | null>) => boolean {
  const stillCurrent = navigationCheck();
  return (...nodes) => {
    if (!stillCurrent()) return false;
    mount(...nodes);
    return true;
  };
}
