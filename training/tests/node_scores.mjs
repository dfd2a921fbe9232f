// Scores pairs with transformers.js as the bot does (tokenizer with text_pair, sequence classifier):
// node node_scores.mjs <models folder> <model name> <quantized: 0|1> < pairs.json → probabilities as JSON.
import { readFileSync } from 'node:fs';
import { env, AutoTokenizer, AutoModelForSequenceClassification } from '@xenova/transformers';

const [root, name, quantized] = process.argv.slice(2);
env.allowRemoteModels = false;
env.localModelPath = root.endsWith('/') ? root : `${root}/`;
const pairs = JSON.parse(readFileSync(0, 'utf8'));
const tokenizer = await AutoTokenizer.from_pretrained(name);
tokenizer.model_max_length = 128;
const model = await AutoModelForSequenceClassification.from_pretrained(name, { quantized: quantized === '1' });
const inputs = tokenizer(pairs.map((p) => p[0]), { text_pair: pairs.map((p) => p[1]), padding: true, truncation: true });
const { logits } = await model(inputs);
process.stdout.write(JSON.stringify(Array.from(logits.data, (z) => 1 / (1 + Math.exp(-z)))));
