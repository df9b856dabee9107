/** A tiny element builder: attributes, `on…` listeners and children, nothing more. */
type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, unknown> = {},
  ...children: Array<Child | Child[]>
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      element.addEventListener(key.slice(2).toLowerCase(), value as EventListener);
    } else if (key === 'value' && 'value' in element) {
      (element as unknown as HTMLInputElement).value = String(value);
    } else {
      element.setAttribute(
        key === 'className' ? 'class' : key,
        value === true ? '' : String(value),
      );
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export function mount(...nodes: Array<Node | null>): void {
  const app = document.getElementById('app') as HTMLElement;
  app.replaceChildren(...nodes.filter((node): node is Node => node !== null));
}

/** What a page shows when it could not load: the reason and one button to try again. */
export function errorCard(text: string, retry: () => void, retryLabel = '重试'): HTMLElement {
  return h(
    'section',
    { class: 'card', 'data-testid': 'page-error' },
    h('p', {}, text),
    h('button', { onclick: retry }, retryLabel),
  );
}

let toastTimer: number | undefined;
export function toast(message: string): void {
  const element = document.getElementById('toast') as HTMLElement;
  element.textContent = message;
  element.hidden = false;
  window.clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => (element.hidden = true), 4000);
}

/** Reads a file picked by the user as base64 (no data: prefix). */
export function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',')[1] ?? '');
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/**
 * Downscales a photo on the phone before it is sent (rural bandwidth: aim ≤ 400 KB): long edge
 * ≤ 1600 px, JPEG, stepping the quality down until it fits. EXIF orientation is applied by the
 * browser when decoding; the re-encoded JPEG carries no metadata (no GPS leaves the phone).
 */
export async function downscalePhoto(
  file: File,
  maxEdge = 1600,
  maxBytes = 400_000,
): Promise<Blob> {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  const scale = Math.min(1, maxEdge / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  (canvas.getContext('2d') as CanvasRenderingContext2D).drawImage(
    bitmap,
    0,
    0,
    canvas.width,
    canvas.height,
  );
  bitmap.close();
  let quality = 0.82;
  for (;;) {
    const blob = await new Promise<Blob>((resolve) =>
      canvas.toBlob((b) => resolve(b as Blob), 'image/jpeg', quality),
    );
    if (blob.size <= maxBytes || quality <= 0.45) return blob;
    quality -= 0.12;
  }
}

export function download(filename: string, contentType: string, base64: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: contentType }));
  const link = h('a', { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
