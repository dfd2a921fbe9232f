/** `npm run ask -- [--json] "question"` or `npm run ask -- --json --file questions.txt` */
import { readFile } from 'node:fs/promises';
import { answerJson, formatAnswer } from './format.js';
import { EXIT } from '../errors.js';
import { UsageError, openFromConfig, parseArgs, runCli } from './common.js';

runCli(async (config) => {
  const { values, flags, rest } = parseArgs(process.argv.slice(2), { values: ['file'], flags: ['json'] });
  let questions: string[];
  if (values.file !== undefined) {
    let text: string;
    try {
      text = await readFile(values.file, 'utf8');
    } catch {
      throw new UsageError(`Cannot read ${values.file}.`);
    }
    questions = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  } else {
    if (rest.length === 0) throw new UsageError('Usage: npm run ask -- [--json] "your question"   or   npm run ask -- --json --file FILE');
    questions = [rest.join(' ')];
  }
  const footnote = await openFromConfig(config);
  let unusable = 0;
  for (const q of questions) {
    const result = await footnote.ask(q);
    // A refusal is an answer; a question that can't be asked (empty, too long …) is bad input.
    if (result.error && result.error.code !== 'internal') unusable++;
    if (flags.has('json')) process.stdout.write(JSON.stringify(answerJson(result, q)) + '\n');
    else if (result.error && questions.length === 1) process.stderr.write(`${formatAnswer(result)}\n`);
    else process.stdout.write(`${questions.length > 1 ? `Q: ${q}\n` : ''}${formatAnswer(result)}\n${questions.length > 1 ? '\n' : ''}`);
  }
  return unusable > 0 ? EXIT.dataErr : 0;
});
