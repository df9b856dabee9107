/** A household's name as donors see it (张*华). */

const compoundSurnames = new Set([
  '欧阳',
  '司马',
  '诸葛',
  '上官',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
  '轩辕',
  '令狐',
  '端木',
  '西门',
  '南宫',
  '独孤',
  '呼延',
  '万俟',
  '闻人',
  '澹台',
  '公冶',
  '宗政',
  '濮阳',
  '淳于',
  '单于',
  '太叔',
  '申屠',
  '仲孙',
  '钟离',
  '赫连',
  '闾丘',
  '司空',
  '亓官',
  '司寇',
  '子车',
  '颛孙',
  '巫马',
  '公西',
  '漆雕',
  '乐正',
  '壤驷',
  '公良',
  '拓跋',
  '夹谷',
  '宰父',
  '谷梁',
  '段干',
  '百里',
  '东郭',
  '南门',
  '羊舌',
  '微生',
  '梁丘',
  '左丘',
  '东门',
  '第五',
  '老佛',
]);

/**
 * A name as donors see it. By characters (code points, so 𠮷 is one):
 * 1 → `*`; 2 → surname + `*` (张*); 3 → surname + `*` + last (张*华), or a compound surname +
 * `*` (欧阳*); 4 or more → surname (compound when it is one) + one `*` per remaining character
 * (欧阳**, 李***). A transliterated name with `·` keeps only its first character and the dots
 * (买买提·艾力 → 买**·**): its parts are given names, not a surname and a given name.
 */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.includes('\u00B7')) {
    return chars.map((c, i) => (i === 0 || c === '\u00B7' ? c : '*')).join('');
  }
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  const surnameLength = compoundSurnames.has(chars.slice(0, 2).join('')) ? 2 : 1;
  if (chars.length === 3 && surnameLength === 1) return `${chars[0]}*${chars[2]}`;
  return chars.slice(0, surnameLength).join('') + '*'.repeat(chars.length - surnameLength);
}
