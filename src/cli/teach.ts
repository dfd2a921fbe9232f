/**
 * `npm run teach -- --file F` imports taught answers from JSON Lines, into the bot's store (DATA_DIR or
 * DATABASE_URL). A line is `{"q": "...", "quote": "verbatim passage"}` (the answer cites the sentence or
 * sentences holding the quote) or `{"q": "...", "refuse": true}` ("the article doesn't say"). Imports
 * apply in every server. The import is all or nothing: a line that is not such an object, has an empty
 * question, or quotes what the article does not hold stops it (65) with one line naming that line, and
 * nothing is imported. Teaching the same question again replaces the earlier taught answer.
 *
 * `npm run teach -- --list [--json]` lists the taught answers; `--forget ID` forgets one (66 when there
 * is no such id).
 */
import { readFile } from 'node:fs/promises';
import { EXIT, ExitError } from '../errors.js';
import { TeachError } from '../taught/taught-answers.js';
import { parseTeachLine } from './teach-file.js';
import { openStore } from '../store/open.js';
import type { TaughtRecord } from '../store/store.js';
import { HOW_TAUGHT } from '../taught/taught.js';
import { openFromConfig, parseArgs, runCli, UsageError } from './common.js';

const USAGE = 'Usage: npm run teach -- --file FILE   |   --list [--json]   |   --forget ID';

runCli(async (config) => {
  const { values, flags, rest } = parseArgs(process.argv.slice(2), {
    usage: USAGE.replace(/^Usage: /, ''),
    values: ['file', 'forget'],
    flags: ['list', 'json'],
    help: {
      file: 'imports taught answers from JSON Lines ({"q": "...", "quote": "..."} or {"q": "...", "refuse": true}); all or nothing',
      forget: 'forgets the taught answer with this id (66 for an unknown id)',
      list: 'lists the taught answers',
      json: 'with --list: JSON on stdout',
    },
  });
  const modes = [values.file !== undefined, flags.has('list'), values.forget !== undefined].filter(Boolean).length;
  if (rest.length || modes !== 1 || (flags.has('json') && !flags.has('list'))) throw new UsageError(USAGE);

  if (values.file !== undefined) {
    let text: string;
    try {
      text = await readFile(values.file, 'utf8');
    } catch (err) {
      throw new ExitError(`--file ${values.file} can't be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): give a JSON Lines file of taught answers.`, EXIT.noInput);
    }
    const lines = text
      .split(/\r?\n/)
      .map((line, i) => ({ line, where: `Line ${i + 1} of ${values.file}` }))
      .filter(({ line }) => line.trim() !== '');
    // Every line is checked before anything is written: all or nothing.
    const parsed = lines.map(({ line, where }) => ({ ...parseTeachLine(line, where), where }));
    if (parsed.length === 0) throw new ExitError(`--file ${values.file} holds no taught answers.`, EXIT.dataErr);
    const footnote = await openFromConfig(config);
    const records: TaughtRecord[] = [];
    for (const { q, lesson, where } of parsed) {
      try {
        records.push(await footnote.taught.lesson(q, lesson, { how: 'import', scope: '', by: 'cli' }));
      } catch (err) {
        if (err instanceof TeachError) throw new ExitError(`${where}: ${err.message}.`, EXIT.dataErr);
        throw err;
      }
    }
    const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.database.url });
    try {
      let replaced = 0;
      for (const r of records) if ((await store.teach(r)).replaced) replaced++;
      process.stdout.write(`Taught ${records.length} answer${records.length === 1 ? '' : 's'}${replaced ? ` (${replaced} replaced an earlier one)` : ''}.\n`);
    } finally {
      await store.close();
    }
    return;
  }

  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.database.url });
  try {
    if (values.forget !== undefined) {
      if (!(await store.forgetTaught(values.forget.trim()))) throw new ExitError(`--forget ${values.forget}: there is no taught answer with that id (see npm run teach -- --list).`, EXIT.noInput);
      process.stdout.write(`Forgot taught answer ${values.forget.trim()}.\n`);
      return;
    }
    const taught = await store.taught();
    if (flags.has('json')) {
      const rows = taught.map((t) => ({
        id: t.id,
        question: t.question,
        how: t.how,
        scope: t.scope || null,
        refuse: t.refuse,
        citations: t.units.map(({ paragraph, start, end, quote }) => ({ paragraph, start, end, quote })),
        by: t.by ?? null,
        at: t.at.toISOString(),
      }));
      process.stdout.write(JSON.stringify({ taught: rows }) + '\n');
      return;
    }
    if (taught.length === 0) {
      process.stdout.write('Nothing taught yet.\n');
      return;
    }
    const lines = taught.map((t) => {
      const answer = t.refuse ? "the article doesn't say" : t.units.map((u) => `¶${u.paragraph}`).join(', ');
      return `${t.id}  "${t.question}" → ${answer} (${HOW_TAUGHT[t.how]}${t.scope ? `, server ${t.scope}` : ', everywhere'}, ${t.at.toISOString().slice(0, 10)})`;
    });
    process.stdout.write(`Taught answers (${store.kind}):\n${lines.join('\n')}\n`);
  } finally {
    await store.close();
  }
});
