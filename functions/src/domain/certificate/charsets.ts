/**
 * Character sets a certificate must be able to print: the 3,755 level-1 hanzi of GB 2312 (the
 * common characters every Chinese font covers) and rare characters seen in given names, which
 * many subset fonts drop.
 */

/** Rare characters that occur in names (赟 yūn, 犇 bēn, 淼 miǎo, 燚 yì, 鑫 xīn …). */
export const rareNameCharacters = [...'赟犇淼燚鑫昇喆堃琇珺'];

/**
 * GB 2312 level 1 in code order: rows 16–55 (lead bytes 0xB0–0xD7) of the EUC-CN table, 94 cells
 * per row, except row 55 which ends at 0xD7F9 (89 cells): 39 × 94 + 89 = 3,755. Decoded with the
 * runtime's GBK decoder (a superset of GB 2312), so no table is copied into the source.
 */
export function gb2312Level1(): string[] {
  const decoder = new TextDecoder('gbk', { fatal: true });
  const characters: string[] = [];
  for (let lead = 0xb0; lead <= 0xd7; lead++) {
    const lastTrail = lead === 0xd7 ? 0xf9 : 0xfe;
    for (let trail = 0xa1; trail <= lastTrail; trail++) {
      characters.push(decoder.decode(Uint8Array.of(lead, trail)));
    }
  }
  return characters;
}
