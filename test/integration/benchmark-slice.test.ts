/**
 * A fixed slice of the SQuAD benchmark as a regression floor: two articles × their first 40 questions,
 * asked through `Footnote.ask` with the committed weights. The weights were trained on these articles,
 * so these are not generalisation figures (those are cross-validated by `npm run benchmark`); the floors
 * sit a margin below what the committed model scores, to catch a regression, not to claim quality.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SQUAD_DIR, loadSquad } from '../../src/quality/benchmark.js';
import { metricsOf, outcomeOfResult, rates, type Outcome } from '../../src/quality/evaluate.js';
import { Footnote } from '../../src/footnote.js';
import { tempDir, committedEmbedder } from '../helpers/fixtures.js';

const SLICE = ['harvard-university', 'islamism'];
const PER_ARTICLE = 40;

// SQuAD is third-party data, never committed: a plain clone has no ../shared/squad, so the slice is skipped there (CI has it).
// vitest still runs a skipped describe's body to collect its tests, so the body stops before reading the folder.
const HAS_SQUAD = existsSync(DEFAULT_SQUAD_DIR);
describe.skipIf(!HAS_SQUAD)('SQuAD benchmark slice (regression floor, committed models; skipped without ../shared/squad)', async () => {
  if (!HAS_SQUAD) {
    it('needs ../shared/squad (third-party data, not in the repository)', () => {});
    return;
  }
  const embedder = await committedEmbedder();
  const datasets = (await loadSquad(DEFAULT_SQUAD_DIR, 'the shared folder')).filter((d) => SLICE.includes(d.name));
  const outcomes: Outcome[] = [];
  for (const d of datasets) {
    const footnote = await Footnote.open({ articlePath: d.articlePath, indexDir: join(tempDir(), d.name), embedder });
    for (const item of d.items.slice(0, PER_ARTICLE)) outcomes.push(outcomeOfResult(item, await footnote.ask(item.q), 0));
  }
  const r = rates(metricsOf(outcomes));
  const figures = JSON.stringify(r);

  it('asks every question of the slice', () => {
    expect(datasets.map((d) => d.name)).toEqual(SLICE);
    expect(outcomes).toHaveLength(SLICE.length * PER_ARTICLE);
  });

  it('ranks a unit that holds the gold answer first for most answerable questions', () => {
    expect(r.bestCandidate, figures).toBeGreaterThanOrEqual(0.8);
  });

  it('puts the gold answer in the first citation for most answerable questions', () => {
    expect(r.firstCitation, figures).toBeGreaterThanOrEqual(0.68);
  });

  it('refuses few answerable questions at the committed threshold', () => {
    expect(r.falseRefusal, figures).toBeLessThanOrEqual(0.2);
  });

  it('cites mostly units that hold the answer', () => {
    expect(r.citationPrecision, figures).toBeGreaterThanOrEqual(0.8);
  });

  it('refuses a good share of the unanswerable questions', () => {
    expect(r.unanswerableRefused, figures).toBeGreaterThanOrEqual(0.25);
  });
});
