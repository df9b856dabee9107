/**
 * The 联系卡 (seed 004): an A5 landscape card for the household's wall with who to call — the
 * helper, the village cadre, the township's 扶贫工作站 — framed and banded in its colour (blue for
 * households newly included or returned, red for the card year's exits). A village's cards print
 * as one PDF, two cards per A4 portrait page one above the other, to cut along the middle.
 */
import type { ContactCardData } from '../../contract/householdFile';
import type { FontSet } from '../certificate/fonts';
import {
  colors,
  issuerName,
  lineWidth,
  setLine,
  type Shape,
  type Span,
} from '../certificate/layout';
import { metricsOf } from '../certificate/render';
import { a4Portrait, drawPages, span } from './flow';

export const contactCardTitle = '扶贫联系卡';

export const cardColours = { blue: 0x1f5fbf, red: 0xc8102e } as const;

/** A5 landscape: half of A4 portrait. */
export const cardSize = { width: a4Portrait.width, height: a4Portrait.height / 2 };

/** Where the card's band lies on its half page, for a check of the printed colour. */
export const cardBand = { inset: 18, frame: 6, height: 62 };

const cutLine = 0xbbbbbb;

/** A missing phone prints as a dash: the card is still handed over, the number written in. */
const phoneText = (phone: string | null | undefined) => (phone && phone.trim() ? phone : '—');

/** The shapes of one card whose half page starts at `top`. */
function cardShapes(card: ContactCardData, top: number, fonts: FontSet): Shape[] {
  const metrics = metricsOf(fonts);
  const colour = cardColours[card.colour];
  const { inset, frame, height: bandHeight } = cardBand;
  const x = inset;
  const y = top + inset;
  const width = cardSize.width - 2 * inset;
  const height = cardSize.height - 2 * inset;
  const shapes: Shape[] = [
    // The frame, as four bars, then the band across the top and a thin one at the foot.
    { kind: 'rect', x, y, width, height: frame, color: colour },
    { kind: 'rect', x, y: y + height - frame, width, height: frame, color: colour },
    { kind: 'rect', x, y, width: frame, height, color: colour },
    { kind: 'rect', x: x + width - frame, y, width: frame, height, color: colour },
    { kind: 'rect', x, y: y + frame, width, height: bandHeight, color: colour },
    { kind: 'rect', x, y: y + height - frame - 14, width, height: 14, color: colour },
  ];
  const inner = { left: x + frame + 30, right: x + width - frame - 30 };
  /** A line shrunk to fit between the inner edges if it is longer. */
  const text = (spans: Span[], baseline: number, size: number, align: 'left' | 'center') => {
    const natural = spans.reduce((sum, s) => sum + lineWidth(s.text, s.weight, size, metrics), 0);
    const room = inner.right - inner.left;
    const fitted = natural > room ? (size * room) / natural : size;
    const position =
      align === 'left' ? { left: inner.left, baseline } : { center: x + width / 2, baseline };
    shapes.push(...setLine(spans, position, fitted, metrics));
  };
  const white = colors.white;
  text([span(contactCardTitle, true, white)], y + frame + 36, 26, 'center');
  text([span(`${card.cardYear}年度`, false, white)], y + frame + 55, 11, 'center');

  let baseline = y + frame + bandHeight + 38;
  const row = (label: string, value: string, phone?: string | null) => {
    const spans = [span(`${label}：`, true), span(value)];
    if (phone !== undefined) spans.push(span('    电话：', true), span(phoneText(phone)));
    text(spans, baseline, 14, 'left');
    baseline += 36;
  };
  row('户主', card.householdName);
  row('住址', card.placeName);
  row('帮扶责任人', card.helper?.name ?? '—', card.helper?.phone ?? null);
  row('村干', card.villageCadre?.name ?? '—', card.villageCadre?.phone ?? null);
  row('乡镇扶贫工作站', card.townshipOffice.name, card.townshipOffice.phone);
  text(
    [span(`有困难、有问题请拨打以上电话。  ${issuerName}`, false, colors.grey)],
    y + height - frame - 24,
    9,
    'center',
  );
  return shapes;
}

/**
 * The cards as one PDF of A4 portrait pages, two cards a page (the second below a cut line):
 * N cards make ceil(N / 2) pages. Dated by the first card's year: the same cards print the same
 * bytes.
 */
export function contactCardsPdf(cards: readonly ContactCardData[], fonts: FontSet): Buffer {
  if (cards.length === 0) throw new Error('no contact card to print');
  const pages: Shape[][] = [];
  for (let i = 0; i < cards.length; i += 2) {
    const shapes = cardShapes(cards[i]!, 0, fonts);
    const second = cards[i + 1];
    if (second) {
      // A dashed cut line between the halves.
      for (let dash = 0; dash < cardSize.width; dash += 12) {
        shapes.push({
          kind: 'rect',
          x: dash,
          y: cardSize.height - 0.25,
          width: 6,
          height: 0.5,
          color: cutLine,
        });
      }
      shapes.push(...cardShapes(second, cardSize.height, fonts));
    }
    pages.push(shapes);
  }
  const first = cards[0]!;
  return drawPages(pages, fonts, {
    title: cards.length === 1 ? `${first.householdName}户${contactCardTitle}` : contactCardTitle,
    author: issuerName,
    date: new Date(Date.UTC(first.cardYear, 0, 1)),
  });
}
