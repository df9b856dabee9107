import { mount } from './dom';
import { beginNavigation, navigationCheck, pageMount } from './navigation';

// The unit project runs in node: no document, so the real mount is replaced by a recorder.
jest.mock('./dom', () => ({ mount: jest.fn() }));
const mounted = mount as jest.MockedFunction<typeof mount>;

/** A page as the router starts it: its mount taken at once, its answer coming later. */
function startPage(): { mount: ReturnType<typeof pageMount>; answer: Promise<void> } & {
  resolve: () => void;
} {
  let resolve = () => {};
  const answer = new Promise<void>((done) => (resolve = done));
  return { mount: pageMount(), answer, resolve };
}

describe('navigation', () => {
  beforeEach(() => mounted.mockClear());

  it('drops a page answer that arrives after the user moved on, and mounts the current one', async () => {
    const a = { id: 'a' } as unknown as Node;
    const b = { id: 'b' } as unknown as Node;

    beginNavigation();
    const pageA = startPage();
    const renderA = pageA.answer.then(() => pageA.mount(a));

    beginNavigation();
    const pageB = startPage();
    const renderB = pageB.answer.then(() => pageB.mount(b));

    pageB.resolve();
    expect(await renderB).toBe(true);
    pageA.resolve();
    expect(await renderA).toBe(false);

    expect(mounted.mock.calls).toEqual([[b]]);
  });

  it('keeps mounting within the same navigation (a retry, a reload after an action)', () => {
    beginNavigation();
    const show = pageMount();
    expect(show(null)).toBe(true);
    expect(show(null)).toBe(true);
    expect(mounted).toHaveBeenCalledTimes(2);
  });

  it('tells whether the navigation a check was taken in is still current', () => {
    beginNavigation();
    const check = navigationCheck();
    expect(check()).toBe(true);
    beginNavigation();
    expect(check()).toBe(false);
  });
});
