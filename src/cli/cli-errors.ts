/** What the CLI exits with. */
export const EXIT = {
  /** The job FINISHED, or the command did what it was asked. */
  ok: 0,
  /** The job FAILED or was CANCELLED; or the server refused (not found, conflict, limit). */
  failed: 1,
  /** The input is invalid: the command line, the job file, or its spec. */
  invalid: 2,
  /** The server could not be reached or answered with errors. */
  unreachable: 3,
} as const;

/** An expected failure of a command: its message is printed as it is, and the process exits with `code`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}
