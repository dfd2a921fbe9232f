/** Shared start-up for the command-line tools: config, logger, model and index, progress on stderr. */
import { loadConfig, type Config } from '../config.js';
import { EXIT, ExitError } from '../errors.js';
import { progressLines } from '../progress.js';
import { loadEmbedder } from '../index/embedders/index.js';
import { Footnote } from '../footnote.js';

/** A progress bar on stderr when it is a terminal; otherwise a plain line at every tenth. */
export function progressBar(label: string): (done: number, total: number) => void {
  if (!process.stderr.isTTY) return progressLines((line) => process.stderr.write(`${line}\n`), label);
  return (done, total) => {
    const width = 30;
    const filled = total ? Math.round((done / total) * width) : width;
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    if (done >= total) process.stderr.write('\n');
  };
}

export async function openFromConfig(config: Config, opts: { forceRebuild?: boolean } = {}): Promise<Footnote> {
  const embedder = await loadEmbedder(config.embedding);
  const footnote = await Footnote.open({
    articlePath: config.articlePath,
    indexDir: config.indexDir,
    embedder,
    modelPath: config.answerModelPath,
    readerPath: config.readerPath,
    onProgress: progressBar('Building index'),
    forceRebuild: opts.forceRebuild,
  });
  if (footnote.rebuildReason) process.stderr.write(`Index rebuilt: ${footnote.rebuildReason}.\n`);
  if (footnote.modelWarning) process.stderr.write(`Warning: ${footnote.modelWarning}.\n`);
  return footnote;
}

/** Runs a CLI main function; known start-up problems print one line, anything else a short error. */
export function runCli(main: (config: Config) => Promise<number | void>): void {
  // A reader that stops early (`| head -1`) is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  let debug = false;
  (async () => {
    try {
      const config = loadConfig();
      debug = config.logLevel === 'debug' || config.logLevel === 'trace';
      const code = await main(config);
      process.exitCode = code ?? 0;
    } catch (err) {
      if (err instanceof HelpShown) {
        process.stdout.write(`${err.message}\n`);
        process.exitCode = 0;
      } else if (err instanceof ExitError) {
        process.stderr.write(`${err.message}\n`);
        process.exitCode = err.exitCode;
      } else {
        // Unexpected: one line; the stack only at LOG_LEVEL=debug.
        process.stderr.write(`Unexpected error: ${(err as Error).message ?? String(err)} (LOG_LEVEL=debug shows the details).\n`);
        if (debug) process.stderr.write(`${(err as Error).stack ?? ''}\n`);
        process.exitCode = EXIT.software;
      }
    }
  })();
}

export class UsageError extends ExitError {
  override readonly name = 'UsageError';
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}

/** `--help`: the usage and every option on stdout, status 0 (`runCli`). */
export class HelpShown extends ExitError {
  override readonly name = 'HelpShown';
  constructor(text: string) {
    super(text, 0);
  }
}

export interface ArgSpec {
  /** The usage line(s): "npm run ask -- [options] \"question\"". */
  usage: string;
  values?: string[];
  flags?: string[];
  lists?: string[];
  /** What each option does (every one of `values`, `flags` and `lists`), for `--help`. */
  help: Record<string, string>;
}

/** The text `--help` prints: the usage, then every option with what it does. */
export function helpText(spec: ArgSpec): string {
  const rows: [string, string][] = [
    ...(spec.values ?? []).map((v): [string, string] => [`--${v} VALUE`, spec.help[v] ?? '']),
    ...(spec.lists ?? []).map((v): [string, string] => [`--${v} VALUE`, `${spec.help[v] ?? ''} (repeatable)`]),
    ...(spec.flags ?? []).map((v): [string, string] => [`--${v}`, spec.help[v] ?? '']),
    ['--help, -h', 'prints this help'],
  ];
  const width = Math.max(...rows.map(([o]) => o.length));
  return `Usage: ${spec.usage}\n\nOptions:\n${rows.map(([o, d]) => `  ${o.padEnd(width)}  ${d}`).join('\n')}\n\nExit statuses: README "Exit statuses".`;
}

/** Minimal flag parsing: `--flag value`, `--bool`, positional rest; `--help` / `-h` show `helpText`. */
export function parseArgs(argv: string[], spec: ArgSpec): { values: Record<string, string>; flags: Set<string>; rest: string[]; lists: Record<string, string[]> } {
  const values: Record<string, string> = {};
  const lists: Record<string, string[]> = {};
  const flags = new Set<string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '--help' || arg === '-h') throw new HelpShown(helpText(spec));
    // A short flag ("-x") is an option this tool does not have, not a question; "-5" and "-" stay words.
    if (/^-\p{L}/u.test(arg)) throw new UsageError(`Unknown option ${arg}. ${firstLine(spec)}`);
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name !== undefined && spec.lists?.includes(name)) {
      // An option that may repeat (`--after A --after B`), kept in order.
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value.`);
      (lists[name] ??= []).push(value);
    } else if (name !== undefined && spec.values?.includes(name)) {
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value.`);
      values[name] = value;
    } else if (name !== undefined && spec.flags?.includes(name)) {
      flags.add(name);
    } else if (name !== undefined) {
      throw new UsageError(`Unknown option ${arg}. ${firstLine(spec)}`);
    } else {
      rest.push(arg);
    }
  }
  return { values, flags, rest, lists };
}

const firstLine = (spec: ArgSpec) => `Usage: ${spec.usage.split('\n')[0]} (--help lists every option).`;
