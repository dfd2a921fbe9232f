/**
 * One temporary folder for the whole test run: `tempDir()` creates everything below it, and it is removed
 * when the run ends, so `npm test` leaves nothing in the system temp directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedWordVectors } from '../src/language/word-vectors.js';

export default function setup(): () => void {
  // The compact word vectors are built on install; build them here once if they are missing, so that
  // parallel test files do not each parse the 300 MB package.
  sharedWordVectors();
  const root = mkdtempSync(join(tmpdir(), 'footnote-tests-'));
  process.env.FOOTNOTE_TEST_TMP = root;
  return () => rmSync(root, { recursive: true, force: true });
}
