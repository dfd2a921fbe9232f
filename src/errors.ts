/**
 * Failures that end a command-line run or start-up with one line and a documented exit status
 * (sysexits: 64 usage, 65 bad input, 66 missing input file, 70 internal error, 73 can't create output,
 * 78 configuration). The message names the file or input and the fix; it never holds a stack.
 */
export const EXIT = { usage: 64, dataErr: 65, noInput: 66, software: 70, cantCreate: 73, config: 78 } as const;

export class ExitError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A configuration problem (a bad variable, a model or weights that can't be loaded): exit 78. */
export class ConfigurationError extends ExitError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, EXIT.config, options);
  }
}

/** The article can't be used: missing, a directory, not UTF-8 text, empty or too large. */
export class ArticleError extends ExitError {
  override readonly name = 'ArticleError';
}
