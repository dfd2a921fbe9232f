/**
 * `npm run gaps -- [--days N] [--json]` — the list /gaps shows moderators, from the same store: questions
 * of the last N days (default 7) that were refused, voted down or answered with low confidence, similar
 * wordings grouped, most asked first; a gap one of whose wordings has been taught since is marked so.
 */
import { daysAgo, gapReasons, groupGaps, LOW_CONFIDENCE, markTaught } from '../store/gaps.js';
import { HOW_TAUGHT } from '../taught/taught.js';
import { openStore } from '../store/open.js';
import { parseArgs, runCli, UsageError, type ArgSpec } from './common.js';

const GAPS_ARGS: ArgSpec = {
  usage: 'npm run gaps -- [--days N] [--json]',
  values: ['days'],
  flags: ['json'],
  help: { days: 'the last N days (default 7, 1 to 3650)', json: 'the gaps as JSON on stdout' },
};

runCli(async (config) => {
  const { values, flags, rest } = parseArgs(process.argv.slice(2), GAPS_ARGS);
  if (rest.length) throw new UsageError(`Usage: ${GAPS_ARGS.usage}`);
  const days = Number(values.days ?? 7);
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new UsageError(`--days must be a whole number of days from 1 to 3650, got "${values.days}".`);
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.database.url });
  try {
    const gaps = markTaught(groupGaps(await store.flagged(daysAgo(days), LOW_CONFIDENCE)), await store.taught());
    if (flags.has('json')) {
      process.stdout.write(JSON.stringify({ days, gaps: gaps.map((g) => ({ ...g, latest: g.latest.toISOString(), ...(g.taught ? { taught: { how: g.taught.how, at: g.taught.at.toISOString() } } : {}) })) }) + '\n');
      return;
    }
    if (gaps.length === 0) {
      process.stdout.write(`Nothing refused, voted down or answered with low confidence in the last ${days} days.\n`);
      return;
    }
    const lines = gaps.map((g, i) => {
      const why = gapReasons(g, 'down');
      const also = g.wordings.length ? `\n     also: ${g.wordings.map((w) => `"${w}"`).join(', ')}` : '';
      const taught = g.taught ? `\n     taught since (${HOW_TAUGHT[g.taught.how]}, ${g.taught.at.toISOString().slice(0, 10)})` : '';
      return `${String(i + 1).padStart(3)}. "${g.question}" — ${g.count}× (${why})${g.paragraph ? `, closest ¶${g.paragraph}` : ''}${also}${taught}`;
    });
    process.stdout.write(`Coverage gaps, last ${days} days (${store.kind}):\n${lines.join('\n')}\n`);
  } finally {
    await store.close();
  }
});
