/**
 * The official SQuAD 2.0 JSON (`dev-v2.0.json`, `train-v2.0.json`) → the benchmark's per-article format:
 * `<name>.txt`, one paragraph a line (paragraph n is line n), and `<name>.qa.jsonl`, one question a line:
 *
 *   {"q", "answerable": true, "paragraph": n, "evidence": [gold answer texts]}
 *   {"q", "answerable": false, "paragraph": n, "plausible": [plausible answer texts]}
 *
 * SQuAD is third-party data (CC BY-SA 4.0): the project commits none of it; this makes the folder that
 * `npm run benchmark` and `npm run train` read.
 */

export interface SquadArticleFiles {
  /** File name stem: the title in lower case, words joined by hyphens ("Steam_engine" → "steam-engine"). */
  name: string;
  title: string;
  /** `<name>.txt`. */
  text: string;
  /** `<name>.qa.jsonl`. */
  qa: string;
  questions: number;
  unanswerable: number;
}

interface SquadJson {
  data: { title: string; paragraphs: { context: string; qas: { question: string; is_impossible?: boolean; answers?: { text: string }[]; plausible_answers?: { text: string }[] }[] }[] }[];
}

/** A SQuAD file that does not have the official shape; the message says where. */
export class SquadFormatError extends Error {
  override readonly name = 'SquadFormatError';
}

export function squadName(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Converts the parsed JSON; `only` keeps the articles with those names or titles (all when empty). */
export function convertSquad(json: unknown, only: readonly string[] = []): SquadArticleFiles[] {
  const data = (json as SquadJson | null)?.data;
  if (!Array.isArray(data)) throw new SquadFormatError('it has no "data" list: is it the official SQuAD 2.0 JSON?');
  const wanted = new Set(only.map(squadName));
  const out: SquadArticleFiles[] = [];
  data.forEach((article, a) => {
    if (typeof article?.title !== 'string' || !Array.isArray(article.paragraphs)) throw new SquadFormatError(`article ${a + 1} has no "title" or "paragraphs".`);
    const name = squadName(article.title);
    if (wanted.size && !wanted.has(name)) return;
    const lines: string[] = [];
    const qa: string[] = [];
    let unanswerable = 0;
    article.paragraphs.forEach((p, i) => {
      if (typeof p?.context !== 'string' || !Array.isArray(p.qas)) throw new SquadFormatError(`${article.title}, paragraph ${i + 1}, has no "context" or "qas".`);
      // One paragraph a line: a line break inside a context would shift every later paragraph's number.
      lines.push(p.context.replace(/\s*[\r\n]+\s*/g, ' ').trim());
      for (const q of p.qas) {
        if (typeof q?.question !== 'string') throw new SquadFormatError(`${article.title}, paragraph ${i + 1}, has a question without "question".`);
        const texts = (list: { text: string }[] | undefined) => [...new Set((list ?? []).map((x) => x.text).filter((t) => typeof t === 'string' && t.trim()))];
        if (q.is_impossible) {
          unanswerable++;
          qa.push(JSON.stringify({ q: q.question, answerable: false, paragraph: i + 1, plausible: texts(q.plausible_answers) }));
        } else {
          const evidence = texts(q.answers);
          if (evidence.length === 0) throw new SquadFormatError(`${article.title}, paragraph ${i + 1}: an answerable question has no answer text ("${q.question.slice(0, 60)}").`);
          qa.push(JSON.stringify({ q: q.question, answerable: true, paragraph: i + 1, evidence }));
        }
      }
    });
    out.push({ name, title: article.title, text: lines.join('\n') + '\n', qa: qa.join('\n') + '\n', questions: qa.length, unanswerable });
  });
  return out;
}
