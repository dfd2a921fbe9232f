import { readFileSync } from 'node:fs';
import { ChatReader } from '../src/language/chat.js';
import { sharedWordVectors } from '../src/language/word-vectors.js';
import { analyse } from '../src/language/nlp.js';
const text = readFileSync('data/article.txt', 'utf8');
const r = new ChatReader(text, sharedWordVectors(), analyse(text).lemmas);
for (let k = 0; k < 50; k++) for (const q of process.argv.slice(2)) r.read(q);
for (const q of process.argv.slice(2)) { const t0 = performance.now(); for (let k = 0; k < 100; k++) r.read(q); const x = r.read(q); console.log(JSON.stringify(x), ((performance.now() - t0) / 100).toFixed(3)); }
