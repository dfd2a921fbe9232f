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
