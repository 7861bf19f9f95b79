/**
 * Normalised tokens for matching chat text against a knowledge base: lower case, diacritics
 * folded (ș→s, ă→a: customers often type without them), punctuation dropped, stop words
 * removed and words cut to a short stem so "livrare", "livrarea" and "livrari" meet.
 */
const STOP_WORDS = new Set(
  [
    // Romanian
    'si', 'sa', 'se', 'la', 'de', 'in', 'pe', 'cu', 'un', 'o', 'ca', 'ce', 'cum', 'care', 'este', 'e', 'sunt', 'am',
    'ai', 'are', 'as', 'vreau', 'dori', 'doresc', 'va', 'voi', 'eu', 'tu', 'noi', 'mi', 'ma', 'te', 'ne', 'le', 'lui',
    'al', 'ale', 'a', 'din', 'pentru', 'prin', 'sau', 'dar', 'nu', 'da', 'mai', 'foarte', 'fi', 'fost', 'buna', 'ziua',
    'salut', 'va', 'rog', 'multumesc', 'mersi', 'aveti', 'aveti', 'puteti', 'pot', 'poate', 'cat', 'cand', 'unde',
    // English
    'the', 'a', 'an', 'is', 'are', 'do', 'does', 'you', 'your', 'i', 'me', 'my', 'we', 'to', 'of', 'and', 'or', 'in',
    'on', 'for', 'with', 'can', 'could', 'would', 'what', 'how', 'when', 'where', 'which', 'it', 'this', 'that',
    'have', 'has', 'be', 'hi', 'hello', 'please', 'thanks', 'thank', 'there', 'any', 'much',
  ],
);

const STEM_LENGTH = 5;

export function foldDiacritics(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '');
}

export function tokenize(text: string): string[] {
  const words = foldDiacritics(text.toLowerCase()).match(/[\p{L}\p{N}]+/gu) ?? [];
  const tokens: string[] = [];
  for (const word of words) {
    if (STOP_WORDS.has(word)) continue;
    if (word.length < 2 && !/\d/.test(word)) continue;
    tokens.push(word.length > STEM_LENGTH ? word.slice(0, STEM_LENGTH) : word);
  }
  return tokens;
}
