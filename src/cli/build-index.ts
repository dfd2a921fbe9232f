/** `npm run index` — (re)builds the index under embeddings/ and prints its manifest. */
import { openFromConfig, parseArgs, runCli } from './common.js';

runCli(async (config) => {
  parseArgs(process.argv.slice(2), { usage: 'npm run index', help: {} });
  const footnote = await openFromConfig(config, { forceRebuild: true });
  const m = footnote.manifest;
  process.stdout.write(
    `Index built in ${m.buildMs} ms with ${m.model} (${m.dimensions}-d): ${m.counts.paragraphs} paragraphs, ` +
      `${m.counts.sentences} sentences, ${m.counts.chunks} chunks → ${config.indexDir}\n`,
  );
});
