import { stripVTControlCharacters, styleText } from 'node:util';

export type Colour = 'red' | 'green' | 'yellow' | 'blue' | 'cyan' | 'gray' | 'bold';

/**
 * Where a command writes. Colours only on a terminal; `--json` makes every command print JSON
 * (one document, or one per line while following), and nothing else, on stdout.
 */
export class Terminal {
  constructor(
    readonly json: boolean,
    readonly colour: boolean,
    private readonly out: NodeJS.WritableStream = process.stdout,
    private readonly err: NodeJS.WritableStream = process.stderr,
  ) {}

  line(text = ''): void {
    this.out.write(`${text}\n`);
  }

  /** Prints a value as JSON (the whole output of a `--json` command, or one line of a stream). */
  data(value: unknown, pretty = true): void {
    this.out.write(`${JSON.stringify(value, null, pretty ? 2 : undefined)}\n`);
  }

  problem(text: string): void {
    this.err.write(`${text}\n`);
  }

  paint(colour: Colour, text: string): string {
    return this.colour ? styleText(colour, text) : text;
  }

  /** Colour of a job or step status. */
  status(status: string): string {
    const colour: Colour =
      status === 'FINISHED'
        ? 'green'
        : status === 'FAILED'
          ? 'red'
          : status === 'RUNNING'
            ? 'blue'
            : status === 'CANCELLED'
              ? 'yellow'
              : 'gray';
    return this.paint(colour, status);
  }
}

/** Rows of cells as aligned columns, the header first. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const visible = (s: string) => stripVTControlCharacters(s).length;
  const widths = header.map((h, i) =>
    Math.max(visible(h), ...rows.map((r) => visible(r[i] ?? ''))),
  );
  const format = (cells: readonly string[]) =>
    cells
      .map((cell, i) =>
        i === cells.length - 1 ? cell : cell + ' '.repeat(widths[i]! - visible(cell)),
      )
      .join('  ')
      .trimEnd();
  return [format(header), ...rows.map(format)];
}

/** `[#########.........]  45/100`: a bar that reads without colour. */
export function progressBar(done: number, total: number, width = 24): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}
