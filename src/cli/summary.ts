/** `npm run summary -- [--length short|medium|long] [--focus TEXT] [--json]` */
import { SUMMARY_SENTENCES, type SummaryLength } from '../answer/answer.js';
import { citationJson, formatSummary } from './format.js';
import { EXIT } from '../errors.js';
import { UsageError, openFromConfig, parseArgs, runCli } from './common.js';

runCli(async (config) => {
  const { values, flags, rest } = parseArgs(process.argv.slice(2), {
    usage: 'npm run summary -- [--length short|medium|long] [--focus TEXT] [--json]',
    values: ['length', 'focus'],
    flags: ['json'],
    help: { length: 'short, medium (default) or long', focus: 'narrows the summary to a topic', json: 'the summary as JSON on stdout' },
  });
  if (rest.length) throw new UsageError(`Unexpected argument "${rest[0]}". Use --focus "topic".`);
  const length = (values.length ?? 'medium') as SummaryLength;
  if (!(length in SUMMARY_SENTENCES)) throw new UsageError('--length must be short, medium or long.');
  const footnote = await openFromConfig(config);
  const result = await footnote.summarize({ length, focus: values.focus });
  if (flags.has('json')) {
    process.stdout.write(
      JSON.stringify({
        length: result.length,
        focus: result.focus ?? null,
        answered: result.answered,
        summary: result.summary,
        citations: result.citations.map(citationJson),
        ...(result.error ? { error: result.error.code } : {}),
      }) + '\n',
    );
  } else {
    process.stdout.write(formatSummary(result) + '\n');
  }
  return result.error ? (result.error.code === 'internal' ? EXIT.software : EXIT.dataErr) : 0;
});
