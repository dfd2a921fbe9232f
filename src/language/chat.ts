/**
 * Questions as people type them in chat, read as they would be written: capitals, shorthand, spelling.
 *
 * - **Capitals**: a question typed all in capitals is lower-cased; then every word the article writes as a
 *   name ("Conley", "Anchorage") gets the article's casing, whatever casing it was typed in, and the first
 *   letter is a capital. So "WHO IS HEATHER CONLEY", "who is heather conley" and "Who is Heather Conley"
 *   read the same.
 * - **Shorthand** (`SHORTHAND`): a short table of chat abbreviations, beside the contractions `nlp.ts`
 *   reads ("whats", "didnt"): each read as what it stands for, or dropped as filler ("lol", "pls").
 * - **Spelling**: a word the article does not use is read as the article word nearest to it
 *   (`fastest-levenshtein`), when that is the likelier reading under a noisy-channel rule: with word
 *   frequencies from GloVe's 100,000 words in frequency order (Zipf: probability ∝ 1 / rank) and one typing
 *   error in a hundred words, the article word c is read for the typed word w at edit distance d when
 *   rank(w) > 100^d · rank(c), or w is not among the 100,000. A frequent real word is never "corrected".
 *   The distance is Levenshtein's, with two swapped neighbouring letters counted as one edit ("tlak").
 *   Candidates share the typed word's first letter, as typing errors rarely fall on it: that keeps the
 *   search to a few dozen words.
 *   Failing an article word, the nearest of the 20,000 most frequent English words is read the same way
 *   ("agin" → again). A word nothing is near stays as typed.
 *
 * The work is capped (`MAX_WORDS`), so a long run of misspellings costs no more than a short one.
 */
import { distance } from 'fastest-levenshtein';
import { APOSTROPHE_LESS } from './nlp.js';
import type { WordVectors } from './word-vectors.js';

/**
 * Chat shorthand and filler, lower case: what each stands for ("" drops it). A dictionary of the
 * language, like the contractions: never a rule fitted to particular questions.
 */
export const SHORTHAND: Readonly<Record<string, string>> = {
  r: 'are',
  u: 'you',
  ur: 'your',
  ppl: 'people',
  ppls: "people's",
  abt: 'about',
  bout: 'about',
  wat: 'what',
  wut: 'what',
  wht: 'what',
  wen: 'when',
  wer: 'where',
  y: 'why',
  b4: 'before',
  n: 'and',
  w: 'with',
  'w/': 'with',
  'w/o': 'without',
  bc: 'because',
  cuz: 'because',
  coz: 'because',
  tho: 'though',
  thru: 'through',
  rn: 'right now',
  govt: 'government',
  pres: 'president',
  prez: 'president',
  // Filler: politeness and laughter carry no question.
  pls: '',
  plz: '',
  please: '',
  lol: '',
  lmao: '',
  haha: '',
  thx: '',
  thanks: '',
  ty: '',
  idk: '',
  btw: '',
};

/** A word the article does not use may also be read as one of the most frequent English words, these many. */
export const COMMON_WORDS = 20_000;
/** At most this many words are looked at for capitals, shorthand and spelling; the rest stay as typed. */
export const MAX_WORDS = 60;
/** The noisy-channel rule's cost of one typing error: each edit makes a reading 100× less likely. */
const EDIT_PENALTY = 100;

export interface ChatReading {
  /** The question as read. */
  text: string;
  /** Whether words were read differently (shorthand, spelling), not only their capitals. */
  changed: boolean;
}

export class ChatReader {
  /** Lower-case article word → the form to read it as (its casing as a name, "cease-fire" for "ceasefire"). */
  readonly #articleWords = new Map<string, string>();
  /** Article words by length, for the nearest-word search. */
  readonly #byLength = new Map<string, string[]>();
  /** The most frequent English words (GloVe's first `COMMON_WORDS`) by length, for words the article lacks. */
  readonly #commonByLength = new Map<string, string[]>();
  readonly #rank = new Map<string, number>();

  /**
   * `text`: the article. `wordVectors`: their word list is GloVe's, most frequent first; without it only
   * words absent from the article and at distance 1 of an article word are corrected.
   */
  constructor(text: string, wordVectors?: WordVectors, lemmas: Iterable<string> = []) {
    const counts = new Map<string, { lower: number; capital: number; form: string }>();
    // Words as the article writes them; a word counts as a name when it is mostly written with a capital
    // where a sentence does not start.
    for (const m of text.matchAll(/(^|[.!?]\s+|[“"(]\s*)?([\p{L}][\p{L}\p{N}'’-]*)/gmu)) {
      const word = m[2]!.replace(/['’]s$/u, '').replace(/['’-]+$/u, '');
      if (word.length < 2) continue;
      const lower = word.toLowerCase();
      const c = counts.get(lower) ?? { lower: 0, capital: 0, form: word };
      const start = m[1] !== undefined;
      if (/^\p{Lu}/u.test(word)) {
        if (!start) {
          c.capital++;
          c.form = word;
        }
      } else c.lower++;
      counts.set(lower, c);
    }
    for (const [lower, c] of counts) {
      const form = c.capital > c.lower && !/^\p{Lu}+$/u.test(c.form) ? c.form : lower;
      this.#articleWords.set(lower, form);
      // A compound written with a hyphen is also found without it ("ceasefire" → "cease-fire").
      if (lower.includes('-')) this.#articleWords.set(lower.replace(/-/g, ''), form);
    }
    // The article's lemmas too ("talk" for "talks"), read as themselves.
    for (const l of lemmas) if (!this.#articleWords.has(l) && /^\p{L}{3,}$/u.test(l)) this.#articleWords.set(l, l);
    const bucket = (into: Map<string, string[]>, w: string) => {
      if (!/^\p{L}{3,}$/u.test(w)) return;
      const key = `${w.length}${w[0]}`;
      const list = into.get(key) ?? [];
      list.push(w);
      into.set(key, list);
    };
    for (const w of this.#articleWords.keys()) bucket(this.#byLength, w);
    wordVectors?.words.forEach((w, i) => {
      this.#rank.set(w, i + 1);
      if (i < COMMON_WORDS) bucket(this.#commonByLength, w);
    });
  }

  read(typed: string): ChatReading {
    const letters = typed.replace(/[^\p{L}]/gu, '');
    const allCaps = letters.length > 1 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
    // A semicolon between two letters is inside a word typed with punctuation ("tl;dr"), never between clauses.
    const source = (allCaps ? typed.toLowerCase() : typed).replace(/(\p{L});(?=\p{L})/gu, '$1');
    let changed = false;
    let seen = 0;
    // Words, with what stands between them; repeated question marks read as one.
    let text = source.replace(/([\p{L}\p{N}][\p{L}\p{N}'’/-]*)/gu, (word) => {
      if (++seen > MAX_WORDS) return word;
      const lower = word.toLowerCase();
      if (Object.hasOwn(SHORTHAND, lower) && !this.#articleWords.has(lower)) {
        changed = true;
        return SHORTHAND[lower]!;
      }
      const known = this.#articleWords.get(lower);
      if (known !== undefined) return known === lower ? word : known;
      // A possessive typed without its apostrophe ("putins plane"): the name's.
      const owner = lower.endsWith('s') ? this.#articleWords.get(lower.slice(0, -1)) : undefined;
      if (owner !== undefined && owner !== lower.slice(0, -1)) {
        changed = true;
        return `${owner}'s`;
      }
      // "whats", "didnt": contractions typed without the apostrophe, which the analysis reads.
      if (APOSTROPHE_LESS.test(lower)) return word;
      const corrected = this.#correct(lower, this.#byLength) ?? this.#correct(lower, this.#commonByLength);
      if (corrected === undefined) return word;
      changed = true;
      return this.#articleWords.get(corrected) ?? corrected;
    });
    text = text.replace(/\?{2,}/g, '?').replace(/\s{2,}/g, ' ').replace(/\s+([?!.,])/g, '$1').trim();
    if (/^\p{Ll}/u.test(text)) text = text[0]!.toUpperCase() + text.slice(1);
    return { text, changed };
  }

  /** The word of `words` (by length and first letter) to read for a word the article does not use, or undefined. */
  #correct(word: string, words: ReadonlyMap<string, string[]>): string | undefined {
    if (!/^\p{L}{3,}$/u.test(word)) return undefined;
    const maxDistance = word.length >= 7 ? 2 : 1;
    // The noisy channel: a candidate must be more frequent than the typed word by 100× per edit, so a
    // frequent typed word rules most candidates out before any distance is computed.
    const typedRank = this.#rank.get(word) ?? Infinity;
    const unranked = this.#rank.size + 1;
    let best: { word: string; d: number; rank: number } | undefined;
    for (let len = word.length - maxDistance; len <= word.length + maxDistance; len++) {
      for (const c of words.get(`${len}${word[0]}`) ?? []) {
        const rank = this.#rank.get(c) ?? unranked;
        if (rank * EDIT_PENALTY >= typedRank) continue;
        const d = swappedNeighbours(word, c) ? 1 : distance(word, c);
        if (d > maxDistance || rank * EDIT_PENALTY ** d >= typedRank) continue;
        if (!best || d < best.d || (d === best.d && rank < best.rank)) best = { word: c, d, rank };
      }
    }
    return best?.word;
  }
}

/** Whether two words differ only by two neighbouring letters swapped ("tlak", "talk"). */
function swappedNeighbours(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i < a.length - 1 && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}
