import { createHash } from 'node:crypto';
import fs from 'node:fs';

/** A CSV cell: numbers are written as-is, `undefined`/`NaN` as an empty (missing) field. */
export type CsvCell = string | number | undefined;

/**
 * A buffered CSV writer that hashes what it writes (sha256 of the file content) and counts
 * data rows. Fields containing a comma, quote or newline are quoted.
 */
export class CsvWriter {
  /** Data rows written (excluding the header). */
  rows = 0;
  private readonly out: fs.WriteStream;
  private readonly hash = createHash('sha256');
  private buffer: string[] = [];
  private bufferedChars = 0;

  constructor(
    readonly path: string,
    header: readonly string[],
  ) {
    this.out = fs.createWriteStream(path);
    this.push(header.map(quote).join(','));
  }

  /** Appends one data row (flushes to disk when the buffer is large). */
  async row(cells: readonly CsvCell[]): Promise<void> {
    let line = '';
    for (let c = 0; c < cells.length; c++) {
      if (c > 0) line += ',';
      const v = cells[c];
      if (v === undefined) continue;
      if (typeof v === 'number') {
        if (!Number.isNaN(v)) line += String(v);
      } else {
        line += quote(v);
      }
    }
    this.rows++;
    this.push(line);
    if (this.bufferedChars > 1 << 20) await this.flush();
  }

  /** Flushes and closes the file; returns its content sha256. */
  async close(): Promise<string> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.out.on('error', reject);
      this.out.end(resolve);
    });
    return this.hash.digest('hex');
  }

  private push(line: string): void {
    this.buffer.push(line);
    this.bufferedChars += line.length + 1;
  }

  private async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const text = `${this.buffer.join('\n')}\n`;
    this.buffer = [];
    this.bufferedChars = 0;
    const bytes = Buffer.from(text, 'utf8');
    this.hash.update(bytes);
    if (!this.out.write(bytes)) await new Promise<void>((resolve) => this.out.once('drain', resolve));
  }
}

function quote(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
