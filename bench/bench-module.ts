/** What a benchmark module gives the runner (bench/index.ts). */
export interface BenchModule {
  /** Used on the command line (`npm run bench -- storage`) and as its section of RESULTS.md. */
  name: string;
  description: string;
  run(context: BenchContext): Promise<BenchOutcome>;
}

export interface BenchContext {
  /** Prints a line of progress or results. */
  log: (line: string) => void;
}

export interface BenchOutcome {
  /** The module's section of bench/RESULTS.md (Markdown, without the heading). */
  markdown: string;
  /** Targets the module set itself and missed, one sentence each; empty when all were met. */
  missed: string[];
}
