/**
 * Folds text for matching without changing its length: each UTF-16 unit becomes one lower-case
 * unit without diacritics ("Mă numesc" -> "ma numesc"), so a match's indices point into the
 * original text, where the name is read with its own spelling.
 */
export function fold(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charAt(i);
    const base = unit.normalize('NFD').charAt(0).toLowerCase().charAt(0) || unit;
    out += base === '’' || base === 'ʼ' || base === '`' || base === '´' ? "'" : base;
  }
  return out;
}
