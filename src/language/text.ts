/**
 * Small text helpers for evaluation and lookups. Lemmas, stop words and parts of speech come from
 * wink-nlp (`nlp.ts`), related words from WordNet (`wordnet.ts`): no hand-written word lists.
 */

/** Folds curly quotes and apostrophes to straight ones and runs of white space to one space. */
export function foldText(s: string): string {
  return s
    .replace(/[‘’‛′]/g, "'")
    .replace(/[“”„″]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Raw lower-case word tokens (letters and digits), with possessive 's removed. */
export function words(s: string): string[] {
  return (
    foldText(s)
      .toLowerCase()
      .replace(/'s\b/g, '')
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/**
 * An article's sentence in quotation marks, as a reader should see it: one pair of marks and the
 * article's own. A sentence that is one whole quotation (“And therefore something to be exploited.”)
 * keeps its own marks alone; one that holds quotation marks (“For three years…,” she wrote.) is set in
 * single marks around them; any other gets double marks.
 */
export function quoted(text: string): string {
  const t = text.trim();
  const count = (mark: string) => t.split(mark).length - 1;
  const whole = (t.startsWith('“') && t.endsWith('”') && count('“') === 1 && count('”') === 1) || (t.startsWith('"') && t.endsWith('"') && count('"') === 2);
  if (whole) return t;
  return /[“”"]/.test(t) ? `‘${t}’` : `“${t}”`;
}
