/** `npm run eval [-- --file data/eval/dev-qa.jsonl] [--json]` — scores the development set. */
import { readFile } from 'node:fs/promises';
import { parseEvalSet, scoreEval } from '../evaluate.js';
import { EXIT, ExitError } from '../errors.js';
import { openFromConfig, parseArgs, runCli } from './common.js';

runCli(async (config) => {
  const { values, flags } = parseArgs(process.argv.slice(2), { values: ['file'], flags: ['json'] });
  const file = values.file ?? 'data/eval/dev-qa.jsonl';
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ExitError(`--file ${file} can't be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): give a JSON Lines question set.`, EXIT.noInput);
  }
  let items: ReturnType<typeof parseEvalSet>;
  try {
    items = parseEvalSet(text);
  } catch (err) {
    throw new ExitError(`--file ${file} is not a question set: ${(err as Error).message.split('\n')[0]}`, EXIT.dataErr);
  }
  const footnote = await openFromConfig(config);
  const results = [];
  for (const item of items) results.push(await footnote.ask(item.q));
  const report = scoreEval(items, results);
  if (flags.has('json')) {
    process.stdout.write(JSON.stringify({ model: footnote.manifest.model, ...report }) + '\n');
    return;
  }
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  process.stdout.write(
    [
      `Model: ${footnote.manifest.model}`,
      `Answerable: ${report.answerable}   first citation holds evidence: ${report.firstCitationHit} (${pct(report.firstCitationRate)})   any citation: ${report.anyCitationHit} (${pct(report.anyCitationRate)})   false refusals: ${report.falseRefusals}`,
      `Unanswerable: ${report.unanswerable}   refused: ${report.refusedUnanswerable} (${pct(report.refusalRate)})`,
      ...report.misses.map((m) => `  miss: ${m.q} — ${m.why}`),
    ].join('\n') + '\n',
  );
});
