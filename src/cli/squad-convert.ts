/**
 * `npm run squad-convert -- FILE DIR [--articles NAME,NAME]` — writes `<name>.txt` and `<name>.qa.jsonl`
 * for every article of an official SQuAD 2.0 JSON file (or the named ones) into DIR, the folder format that
 * `npm run benchmark -- DIR` and `npm run train -- DIR` read.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXIT, ExitError } from '../errors.js';
import { convertSquad, SquadFormatError } from '../quality/squad.js';
import { parseArgs, runCli, UsageError, type ArgSpec } from './common.js';

const CONVERT_ARGS: ArgSpec = {
  usage: 'npm run squad-convert -- dev-v2.0.json OUT_DIR [--articles NAME,NAME]',
  values: ['articles'],
  help: { articles: 'converts only these articles (comma-separated names)' },
};

runCli(async () => {
  const { values, rest } = parseArgs(process.argv.slice(2), CONVERT_ARGS);
  if (rest.length !== 2) throw new UsageError(`Usage: ${CONVERT_ARGS.usage}`);
  const [file, dir] = rest as [string, string];
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ExitError(`${file} can't be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): give the official SQuAD 2.0 JSON file.`, EXIT.noInput);
  }
  let articles;
  try {
    articles = convertSquad(JSON.parse(text), values.articles?.split(',').map((s) => s.trim()).filter(Boolean));
  } catch (err) {
    if (err instanceof SyntaxError || err instanceof SquadFormatError) throw new ExitError(`${file} is not SQuAD 2.0 JSON: ${err.message}`, EXIT.dataErr);
    throw err;
  }
  if (articles.length === 0) throw new ExitError(`${file} has none of the articles ${values.articles}.`, EXIT.dataErr);
  try {
    await mkdir(dir, { recursive: true });
    for (const a of articles) {
      await writeFile(join(dir, `${a.name}.txt`), a.text);
      await writeFile(join(dir, `${a.name}.qa.jsonl`), a.qa);
    }
  } catch (err) {
    throw new ExitError(`Can't write to ${dir} (${(err as NodeJS.ErrnoException).code ?? 'error'}): give a writable folder.`, EXIT.cantCreate);
  }
  for (const a of articles) process.stdout.write(`${a.name}: ${a.text.split('\n').length - 1} paragraphs, ${a.questions} questions (${a.unanswerable} unanswerable)\n`);
});
