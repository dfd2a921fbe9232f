/**
 * Names of people, places and organisations in a text, from compromise's tagger (#Person, #Place,
 * #Organization). wink-eng-lite tags dates and numbers but not these. Computed once per sentence when the
 * index is built and stored with the rest of its analysis.
 */
import nlp from 'compromise';

export interface Names {
  /** Lower-case names, each a run of neighbouring words with the same tag. */
  people: string[];
  places: string[];
  organizations: string[];
}

type Tag = keyof Names;
const TAGS: [string, Tag][] = [
  ['Person', 'people'],
  ['Place', 'places'],
  ['Organization', 'organizations'],
];

interface Term {
  text: string;
  normal?: string;
  tags?: string[];
}

export function names(text: string): Names {
  const out: Names = { people: [], places: [], organizations: [] };
  const sentences = nlp(text).json({ terms: { tags: true, normal: true } }) as { terms: Term[] }[];
  for (const { terms } of sentences) {
    let run: string[] = [];
    let runTag: Tag | undefined;
    const flush = () => {
      if (runTag && run.length) out[runTag].push(run.join(' '));
      run = [];
      runTag = undefined;
    };
    for (const term of terms) {
      const tag = TAGS.find(([t]) => term.tags?.includes(t))?.[1];
      const word = (term.normal ?? term.text).toLowerCase().replace(/[^\p{L}\p{N}.'-]+/gu, '');
      if (tag && word && tag === runTag) run.push(word);
      else {
        flush();
        if (tag && word) {
          run = [word];
          runTag = tag;
        }
      }
      // A comma or other punctuation after a word ends the name.
      if (/[,;:()—–]/.test((term as { post?: string }).post ?? '')) flush();
    }
    flush();
  }
  return out;
}
