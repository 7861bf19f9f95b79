/**
 * Edit distance with adjacent transpositions (optimal string alignment), the usual shape of a
 * typo: a letter missing, doubled, wrong or two swapped. With `prefix`, the distance from `form`
 * to the closest start of `word` ("delivry" is one edit from the start "deliver").
 */
export function typoDistance(form: string, word: string, prefix = false): number {
  const rows = form.length + 1;
  const cols = word.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = form[i - 1] === word[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && form[i - 1] === word[j - 2] && form[i - 2] === word[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return prefix ? Math.min(...d[form.length]!.slice(Math.max(1, form.length - 1))) : d[form.length]![word.length]!;
}

/** How many typos a word of this length may carry and still be recognised. */
export function typoAllowance(length: number): number {
  return length >= 9 ? 2 : length >= 5 ? 1 : 0;
}
