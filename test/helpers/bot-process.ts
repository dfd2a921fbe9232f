/** `npm start` (src/bot/main.ts) as a child process, with its JSON log lines collected as they arrive. */
import { spawn, type ChildProcess } from 'node:child_process';

export const ROOT = new URL('../../', import.meta.url).pathname;

export interface BotProcess {
  child: ChildProcess;
  /** Parsed log lines (stderr); lines that are not JSON are kept as `{ text }`. */
  lines: any[];
  stderr(): string;
  /** Waits until a log line matches (or the process exits, or the timeout passes); returns it or undefined. */
  waitForLine(pred: (line: any) => boolean, timeout?: number): Promise<any>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Starts the bot with only PATH, HOME and `env` in its environment (no .env values leak in from the machine). */
export function spawnBot(env: Record<string, string>, args: string[] = ['--import', 'tsx', 'src/bot/main.ts']): BotProcess {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', ...env } });
  const lines: any[] = [];
  let all = '';
  let buffer = '';
  child.stderr!.on('data', (d) => {
    all += String(d);
    buffer += String(d);
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      try {
        lines.push(JSON.parse(line));
      } catch {
        lines.push({ text: line });
      }
    }
  });
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    stderr: () => all,
    async waitForLine(pred, timeout = 60_000) {
      const deadline = Date.now() + timeout;
      for (;;) {
        const found = lines.find(pred);
        if (found || Date.now() > deadline || child.exitCode !== null) return found;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
