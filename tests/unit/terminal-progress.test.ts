/**
 * The evaluate CLI's progress bar (scripts/lib/terminal-progress.ts), drawn on a fake terminal that carries out the
 * escape sequences cli-progress writes: the error lines printed during a run must all be on the screen, whole, once
 * the report follows, and the terminal must be left wrapping lines as before.
 */
import { terminalProgress } from '~/scripts/lib/terminal-progress';

/**
 * A terminal `columns` wide: the cursor moves and line edits cli-progress and Node's readline use (CR, LF, CSI n G /
 * A / B / C / D, CSI K, CSI 2K, ESC 7 / ESC 8, CSI ?7 l / h). Rows are kept unpadded, so a line that wrapped reads
 * whole again when the rows are joined.
 */
class FakeTerminal {
  readonly isTTY = true;
  rows: string[][] = [[]];
  row = 0;
  column = 0;
  wraps = true;
  private saved: [number, number] = [0, 0];

  constructor(readonly columns: number) {}

  write(chunk: string | Uint8Array, callback?: () => void): boolean {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    for (let at = 0; at < text.length; ) {
      const control = /^\x1b(?:\[(\??)(\d*)([A-Za-z])|([78]))/.exec(text.slice(at));
      if (control) {
        this.control(control[1] ?? '', control[2] === '' || control[2] === undefined ? null : Number(control[2]), control[3] ?? control[4]!);
        at += control[0].length;
        continue;
      }
      const char = text[at++]!;
      if (char === '\r') this.column = 0;
      else if (char === '\n') this.moveTo(this.row + 1, 0);
      else this.print(char);
    }
    callback?.();
    return true;
  }

  // The stream methods cli-progress may call besides write.
  on() {
    return this;
  }
  once() {
    return this;
  }
  removeListener() {
    return this;
  }

  text(): string[] {
    return this.rows.map((cells) => cells.join('').trimEnd());
  }

  private print(char: string) {
    if (this.column >= this.columns) {
      if (this.wraps) this.moveTo(this.row + 1, 0);
      else this.column = this.columns - 1; // without wrapping the last column is overwritten
    }
    const cells = this.rows[this.row]!;
    while (cells.length < this.column) cells.push(' ');
    cells[this.column++] = char;
  }

  private moveTo(row: number, column: number) {
    this.row = Math.max(0, row);
    while (this.rows.length <= this.row) this.rows.push([]);
    this.column = Math.max(0, column);
  }

  private control(privateMarker: string, n: number | null, command: string) {
    const count = n ?? 1;
    const cells = this.rows[this.row]!;
    if (privateMarker === '?' && n === 7) this.wraps = command === 'h';
    else if (command === '7') this.saved = [this.row, this.column];
    else if (command === '8') this.moveTo(...this.saved);
    else if (command === 'G') this.column = count - 1;
    else if (command === 'A') this.moveTo(this.row - count, this.column);
    else if (command === 'B') this.moveTo(this.row + count, this.column);
    else if (command === 'C') this.column += count;
    else if (command === 'D') this.column = Math.max(0, this.column - count);
    else if (command === 'K' && n === 2) cells.length = 0;
    else if (command === 'K') cells.length = Math.min(cells.length, this.column);
    else if (command === 'J') this.rows.length = this.row + 1;
    else throw new Error(`FakeTerminal: no support for ESC [${privateMarker}${n ?? ''}${command}`);
  }
}

const FORMAT = 'evaluating [{bar}] {value}/{total}';
const tick = () => new Promise((resolve) => setTimeout(resolve, 120)); // past the bar's redraw interval (100 ms)

it('prints each error line above the bar, whole, and keeps them all when the report follows', async () => {
  const terminal = new FakeTerminal(60);
  const progress = terminalProgress(terminal as unknown as NodeJS.WriteStream, 4, FORMAT)!;
  const long = 'error: cats/bad1.jpg: PetLens cannot read this file as an image; it is not a JPEG, PNG, WebP, GIF, AVIF or TIFF';
  progress.update(1);
  progress.log(long);
  await tick();
  progress.update(2);
  progress.log('error: cats/bad2.jpg: the file is empty');
  await tick();
  progress.update(3);
  // Logged right before the end, with no redraw between: stop() must still print it.
  progress.log('error: dogs/bad3.jpg: the file is empty');
  progress.update(4);
  progress.stop();
  terminal.write('accuracy 75.00% (3 of 4)\n');

  const screen = terminal.text();
  const joined = terminal.rows.map((cells) => cells.join('')).join('');
  expect(long.length).toBeGreaterThan(terminal.columns);
  expect(joined).toContain(long); // wrapped over two rows, not cut at the width
  expect(screen).toEqual(expect.arrayContaining(['error: cats/bad2.jpg: the file is empty', 'error: dogs/bad3.jpg: the file is empty']));
  // The bar ends full, under the error lines, and the report comes after it.
  const barRow = screen.findIndex((line) => line.startsWith('evaluating ['));
  expect(screen[barRow]).toMatch(/\] 4\/4$/);
  expect(barRow).toBeGreaterThan(screen.indexOf('error: dogs/bad3.jpg: the file is empty'));
  expect(screen.indexOf('accuracy 75.00% (3 of 4)')).toBe(barRow + 1);
  expect(terminal.wraps).toBe(true);
});

it('never turns the terminal’s line wrapping off, so an interrupted run leaves it as it was', async () => {
  const terminal = new FakeTerminal(80);
  const progress = terminalProgress(terminal as unknown as NodeJS.WriteStream, 10, FORMAT)!;
  try {
    progress.update(3);
    await tick();
    // Ctrl-C here ends the process without stop(): whatever the terminal was told so far is what it keeps.
    expect(terminal.wraps).toBe(true);
    expect(terminal.text().some((line) => line.startsWith('evaluating [') && line.endsWith('3/10'))).toBe(true);
  } finally {
    progress.stop(); // its redraw timer would keep Jest waiting
  }
});

it('draws no bar on a stream that is not a terminal (a pipe, a log file)', () => {
  const pipe = { isTTY: false, write: () => true } as unknown as NodeJS.WriteStream;
  expect(terminalProgress(pipe, 10, FORMAT)).toBeNull();
});
