/**
 * `npm run eval [-- --file F] [--json]` — scores the project's own question sets with the committed
 * weights: by default every set in `data/eval/`, each marked as fitted on (training data of the weights)
 * or held out (never fitted or tuned on: the figure that generalises); `--file` scores one set. The
 * follow-up sets are scored as conversations (each question asked after its earlier ones, and alone).
 */
import { readFile } from 'node:fs/promises';
import { CHAT_FIT_SET, CHAT_HELD_OUT_SET, OWN_HELD_OUT_SET, OWN_TRAINING_SETS } from '../quality/benchmark.js';
import { FOLLOW_UP_FIT_SET, FOLLOW_UP_HELD_SET, scoreFollowUps, type FollowUpReport } from '../quality/follow-ups.js';
import { bandLine, followUpLine } from './format.js';
import { parseEvalSet, scoreEval, type EvalReport } from '../quality/evaluate.js';
import { EXIT, ExitError } from '../errors.js';
import { openFromConfig, parseArgs, runCli } from './common.js';
import { isTaughtSet, parseTaughtSet, scoreTaught, TAUGHT_FIT_SET, TAUGHT_HELD_SET, TAUGHT_SPENT_SET, type TaughtItem, type TaughtReport } from '../quality/taught-eval.js';

/** The first line of a file as JSON, or undefined when it is not JSON. */
function firstObject(text: string): unknown {
  try {
    return JSON.parse(text.split('\n').find((l) => l.trim() !== '') ?? '') as unknown;
  } catch {
    return undefined;
  }
}

runCli(async (config) => {
  const { values, flags } = parseArgs(process.argv.slice(2), {
    usage: 'npm run eval -- [--file FILE] [--json]',
    values: ['file'],
    flags: ['json'],
    help: { file: 'scores one question set (the evaluation format of data/eval/) instead of all of data/eval/', json: 'the report as JSON on stdout' },
  });
  const files = values.file ? [values.file] : [OWN_HELD_OUT_SET, ...OWN_TRAINING_SETS, CHAT_HELD_OUT_SET, CHAT_FIT_SET, FOLLOW_UP_HELD_SET, FOLLOW_UP_FIT_SET, TAUGHT_HELD_SET, TAUGHT_FIT_SET, TAUGHT_SPENT_SET];
  const heldOut = [OWN_HELD_OUT_SET, CHAT_HELD_OUT_SET, FOLLOW_UP_HELD_SET, TAUGHT_HELD_SET];
  const fitted = [...OWN_TRAINING_SETS, CHAT_FIT_SET, FOLLOW_UP_FIT_SET];
  const sets: { file: string; items: ReturnType<typeof parseEvalSet> }[] = [];
  const taughtSets: { file: string; items: TaughtItem[] }[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new ExitError(`--file ${file} can't be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): give a JSON Lines question set.`, EXIT.noInput);
    }
    try {
      if (isTaughtSet([firstObject(text)])) taughtSets.push({ file, items: parseTaughtSet(text) });
      else sets.push({ file, items: parseEvalSet(text) });
    } catch (err) {
      throw new ExitError(`--file ${file} is not a question set: ${(err as Error).message.split('\n')[0]}`, EXIT.dataErr);
    }
  }
  const footnote = await openFromConfig(config);
  const reports: (EvalReport & { file: string; role: string })[] = [];
  // A set whose questions follow earlier ones ("after") is scored as conversations.
  const followUps: (FollowUpReport & { file: string; role: string })[] = [];
  for (const { file, items } of sets) {
    const role = heldOut.includes(file) ? 'held out' : file === CHAT_FIT_SET ? 'tried on' : fitted.includes(file) ? 'fitted on' : 'given';
    if (items.some((i) => i.after !== undefined)) {
      followUps.push({ file, role, ...(await scoreFollowUps(items, (q, turns) => footnote.ask(q, turns))) });
      continue;
    }
    const results = [];
    for (const item of items) results.push(await footnote.ask(item.q));
    reports.push({ file, role, ...scoreEval(items, results) });
  }
  // Taught sets: taught for the run (the store is not touched), then their rewordings, swaps and unrelated questions asked.
  const taught: (TaughtReport & { file: string; role: string })[] = [];
  for (const { file, items } of taughtSets) taught.push({ file, role: heldOut.includes(file) ? 'held out' : file === TAUGHT_FIT_SET || file === TAUGHT_SPENT_SET ? 'tuned on' : 'given', ...(await scoreTaught(items, footnote)) });
  if (flags.has('json')) {
    // One set: the report itself (as before); several: one object per set.
    const body = sets.length + taughtSets.length === 1 ? (reports[0] ?? followUps[0] ?? taught[0]) : { sets: reports, followUps, taught };
    process.stdout.write(JSON.stringify({ model: footnote.manifest.model, ...body }) + '\n');
    return;
  }
  const pct = (a: number, b: number) => `${a}/${b} (${b ? ((a / b) * 100).toFixed(1) : '0.0'}%)`;
  const lines = [`Model: ${footnote.manifest.model}`];
  for (const r of reports) {
    lines.push(
      `${r.file} (${r.role})`,
      `  Answerable: ${r.answerable}   first citation holds evidence: ${pct(r.firstCitationHit, r.answerable)}   any citation: ${pct(r.anyCitationHit, r.answerable)}   false refusals: ${r.falseRefusals} (closest passages hold the answer for ${r.closestHit})`,
      `  Unanswerable: ${r.unanswerable}   refused: ${pct(r.refusedUnanswerable, r.unanswerable)}`,
      `  Answers shown: ${r.shown}   right: ${pct(r.shownRight, r.shown)}`,
      `  Bands: ${bandLine(r.metrics)}`,
      ...(r.gist.questions ? [`  Gist questions answered with the short summary: ${pct(r.gist.summarised, r.gist.questions)}`] : []),
      ...r.misses.map((m) => `  miss: ${m.q} — ${m.why}`),
    );
  }
  for (const r of followUps) {
    lines.push(`${r.file} (${r.role}, conversations)`, `  ${followUpLine(r)}`, ...r.misses.map((m) => `  miss: ${m.after.join(' → ')} → ${m.q} — ${m.why}`));
  }
  for (const r of taught) {
    lines.push(
      `${r.file} (${r.role}, taught answers)`,
      `  ${r.taught} taught: rewordings answered with their taught answer ${pct(r.rewordingsRight, r.rewordings)}, swaps captured by a taught answer ${pct(r.swapsCaptured, r.swaps)}, unrelated questions answered as without ${pct(r.unrelatedSame, r.unrelated)}`,
      ...r.misses.map((m) => `  miss: ${m.q} — ${m.why}`),
    );
  }
  process.stdout.write(lines.join('\n') + '\n');
});
