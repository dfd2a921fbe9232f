/**
 * `npm run ask -- [--json] [--after "EARLIER QUESTION"]… "question"` or `npm run ask -- --json --file F`.
 *
 * `--after` (repeatable, oldest first) asks the earlier questions first, each in the light of the ones
 * before it, and the question last, as a follow-up to them; only the question's answer is printed. In
 * `--file` mode a line is a question, or a JSON object `{"q": "...", "after": ["earlier question", …]}`;
 * a line that starts with `{` but is not such an object stops the run (65) with one line naming it.
 *
 * Taught answers are read from the bot's store (DATA_DIR or DATABASE_URL), read only; `--untaught`
 * ignores them. A missing or empty store is normal and says nothing.
 */
import { readFile } from 'node:fs/promises';
import { answerJson, formatAnswer } from './format.js';
import { EXIT, ExitError } from '../errors.js';
import { turnOf, type ConversationTurn } from '../conversation/follow-up.js';
import type { Footnote } from '../footnote.js';
import { UsageError, openFromConfig, parseArgs, runCli, type ArgSpec } from './common.js';
import { parseQuestionLine, type Asked } from './question-file.js';
import { readTaughtAnswers } from '../store/open.js';
import type { Config } from '../config.js';

/** The store's taught answers put in use; a store that can't be read is said in one line, and the answers are the model's. */
async function useTaughtAnswers(footnote: Footnote, config: Config): Promise<void> {
  try {
    const load = await footnote.taught.apply(await readTaughtAnswers({ dataDir: config.dataDir, databaseUrl: config.database.url }));
    if (load.stale.length) process.stderr.write(`${load.stale.length} taught answer${load.stale.length === 1 ? '' : 's'} no longer match the article (their quotes changed) and are not used.\n`);
  } catch (err) {
    process.stderr.write(`Taught answers not used: ${(err as Error).message}\n`);
  }
}

/** Asks the earlier questions in order, then `q` as a follow-up to them. */
async function askAfter(footnote: Footnote, { q, after }: Asked, untaught: boolean) {
  const turns: ConversationTurn[] = [];
  for (const earlier of after) {
    const r = await footnote.ask(earlier, turns, { untaught });
    if (r.error) return { ...r, question: earlier, answer: `The earlier question "${earlier.slice(0, 60)}" can't be asked: ${r.answer}` };
    turns.push(turnOf(r));
  }
  return footnote.ask(q, turns, { untaught });
}

const ASK_ARGS: ArgSpec = {
  usage: 'npm run ask -- [--json] [--untaught] [--after "EARLIER QUESTION"]… "your question"\n       npm run ask -- [--json] --file FILE',
  values: ['file'],
  flags: ['json', 'untaught'],
  lists: ['after'],
  help: {
    file: 'asks every non-empty line of FILE (a question, or {"q": "...", "after": ["..."]}); 66 when it is missing, 65 when it holds no questions',
    json: 'one JSON object an answer on stdout',
    untaught: "ignores the moderators' taught answers (the models' own answer)",
    after: 'an earlier question of the conversation, oldest first: the question is answered as its follow-up',
  },
};

runCli(async (config) => {
  const { values, flags, rest, lists } = parseArgs(process.argv.slice(2), ASK_ARGS);
  const untaught = flags.has('untaught');
  let questions: Asked[];
  if (values.file !== undefined) {
    if (lists.after) throw new UsageError('--after goes with one question; in --file mode write {"q": "...", "after": ["..."]} lines.');
    let text: string;
    try {
      text = await readFile(values.file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : `can't be read (${code ?? 'error'})`;
      throw new ExitError(`The question file ${values.file} ${why}: give --file a text file with one question a line.`, EXIT.noInput);
    }
    if (text.trim() === '') throw new ExitError(`The question file ${values.file} holds no questions: write one question a line.`, EXIT.dataErr);
    questions = text
      .split(/\r?\n/)
      .map((line, i) => ({ line, i }))
      .filter(({ line }) => line.trim() !== '')
      .map(({ line, i }) => parseQuestionLine(line, `Line ${i + 1} of ${values.file}`));
  } else {
    if (rest.length === 0) throw new UsageError(`Usage: ${ASK_ARGS.usage}`);
    questions = [{ q: rest.join(' '), after: lists.after ?? [] }];
  }
  const footnote = await openFromConfig(config);
  if (!untaught) await useTaughtAnswers(footnote, config);
  let unusable = 0;
  for (const asked of questions) {
    const result = await askAfter(footnote, asked, untaught);
    // A refusal is an answer; a question that can't be asked (empty, too long …) is bad input.
    if (result.error && result.error.code !== 'internal') unusable++;
    if (flags.has('json')) process.stdout.write(JSON.stringify(answerJson(result, asked.q)) + '\n');
    else if (result.error && questions.length === 1) process.stderr.write(`${formatAnswer(result)}\n`);
    else process.stdout.write(`${questions.length > 1 ? `Q: ${asked.q}\n` : ''}${formatAnswer(result)}\n${questions.length > 1 ? '\n' : ''}`);
  }
  return unusable > 0 ? EXIT.dataErr : 0;
});
