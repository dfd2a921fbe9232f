/**
 * `npx tsx scripts/compare-splitters.ts [DIR]` — our sentence splitter against wink-nlp's on the SQuAD
 * articles. A citation is one sentence, so a splitter is better when more gold answers lie inside a single
 * sentence of their paragraph (a split through an answer makes it uncitable), with sentences no longer
 * than needed. Prints both figures per splitter.
 */
import { readFile } from 'node:fs/promises';
import { DEFAULT_SQUAD_DIR, loadSquad } from '../src/quality/benchmark.js';
import { parseArticle } from '../src/article/article.js';
import { winkSentences } from '../src/language/nlp.js';
import { splitSentences } from '../src/article/sentences.js';
import { foldText } from '../src/language/text.js';

const dir = process.argv[2] ?? DEFAULT_SQUAD_DIR;
const splitters: Record<string, (text: string) => string[]> = {
  footnote: (t) => splitSentences(t).map((s) => s.text),
  'wink-nlp': (t) => winkSentences(t),
};
const norm = (s: string) => foldText(s).toLowerCase();
for (const [name, split] of Object.entries(splitters)) {
  let answers = 0;
  let inOne = 0;
  let sentences = 0;
  let chars = 0;
  for (const d of await loadSquad(dir, 'npx tsx scripts/compare-splitters.ts DIR')) {
    const article = parseArticle(await readFile(d.articlePath, 'utf8'));
    const split_ = article.paragraphs.map((p) => split(p.text).map(norm));
    for (const s of split_.flat()) {
      sentences++;
      chars += s.length;
    }
    for (const item of d.items) {
      if (!item.answerable || item.paragraph === undefined) continue;
      answers++;
      const paragraph = split_[item.paragraph - 1] ?? [];
      if ((item.evidence ?? []).some((e) => paragraph.some((s) => s.includes(norm(e))))) inOne++;
    }
  }
  process.stdout.write(`${name.padEnd(9)} gold answers inside one sentence: ${inOne}/${answers} (${((inOne / answers) * 100).toFixed(2)}%), ${sentences} sentences, ${(chars / sentences).toFixed(0)} characters on average\n`);
}
