/**
 * A signature drawn with a finger on the phone: a small white canvas whose strokes are exported
 * as a PNG (base64, no data: prefix) for one of the sheet's three confirmations.
 */
import { h } from '../../dom';

export interface SignaturePad {
  element: HTMLElement;
  /** The drawing as PNG base64, or null when nothing was drawn. */
  png(): string | null;
  clear(): void;
}

/**
 * `initial` is a signature kept in the draft (shown again after a reload); `onChange` is told
 * after every stroke so the draft keeps it.
 */
export function signaturePad(
  testId: string,
  initial: string | null,
  onChange: (png: string | null) => void,
): SignaturePad {
  // Drawn at twice the CSS size so strokes stay sharp on a 2× screen; small enough for the server's 200 KB.
  const canvas = h('canvas', {
    width: 600,
    height: 240,
    class: 'signature',
    'data-testid': testId,
    'aria-label': '在此签名',
  });
  const context = canvas.getContext('2d') as CanvasRenderingContext2D;
  let drawn = false;
  const blank = () => {
    context.fillStyle = '#fff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.strokeStyle = '#111';
    context.lineWidth = 5;
    context.lineCap = 'round';
    context.lineJoin = 'round';
  };
  blank();
  if (initial) {
    const image = new Image();
    image.onload = () => context.drawImage(image, 0, 0);
    image.src = `data:image/png;base64,${initial}`;
    drawn = true;
  }
  const point = (event: PointerEvent) => {
    const box = canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - box.left) / box.width) * canvas.width,
      y: ((event.clientY - box.top) / box.height) * canvas.height,
    };
  };
  let down = false;
  canvas.addEventListener('pointerdown', (event) => {
    down = true;
    canvas.setPointerCapture?.(event.pointerId);
    const { x, y } = point(event);
    context.beginPath();
    context.moveTo(x, y);
    event.preventDefault();
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!down) return;
    const { x, y } = point(event);
    context.lineTo(x, y);
    context.stroke();
    drawn = true;
    event.preventDefault();
  });
  const end = () => {
    if (!down) return;
    down = false;
    onChange(png());
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  canvas.addEventListener('pointerleave', end);

  const png = () => (drawn ? (canvas.toDataURL('image/png').split(',')[1] ?? null) : null);
  const clear = () => {
    blank();
    drawn = false;
    onChange(null);
  };
  return {
    element: h(
      'div',
      { class: 'signature-pad' },
      canvas,
      h(
        'button',
        { type: 'button', class: 'link', 'data-testid': `${testId}-clear`, onclick: clear },
        '重签',
      ),
    ),
    png,
    clear,
  };
}
