/** What one write attempt on one target gets from `upsertRows`. */
export interface AttemptContext {
  signal: AbortSignal | undefined;
  /** Largest statement we build, whatever the server allows. */
  maxStatementBytes: number | undefined;
  /** Called for every statement sent (BEGIN, each INSERT, COMMIT or ROLLBACK, KILL). */
  countStatement: () => void;
  /** Rows of this attempt written so far (not yet committed). */
  progress: (done: number) => void;
}

/** A write's phase, to say where an attempt failed. */
export interface Phase {
  current: string;
}
