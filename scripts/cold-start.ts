/** Helper for the benchmark: opens Footnote on an existing index in a fresh process and reports timings as JSON. */
// performance.now() counts from process start, so these are times since the process began.
const { loadConfig } = await import('../src/config.js');
const { loadEmbedder } = await import('../src/index/embedders/index.js');
const { Footnote } = await import('../src/footnote.js');
const config = loadConfig();
const indexDir = process.argv[2]!;
const embedder = await loadEmbedder(config.embedding);
const footnote = await Footnote.open({ articlePath: config.articlePath, indexDir, embedder });
const readyMs = performance.now();
await footnote.ask('Who did Trump welcome to Alaska?');
const firstAnswerMs = performance.now();
process.stdout.write(JSON.stringify({ readyMs, firstAnswerMs, rebuilt: footnote.rebuildReason ?? null}) + '\n');
