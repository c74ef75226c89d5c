import { MultiBar, Presets } from 'cli-progress';

/** A progress bar with lines (the run's error lines) printed above it as they come. */
export interface TerminalProgress {
  update(done: number): void;
  /** Prints `line` above the bar, whole: it is never drawn over or cut at the terminal's width. */
  log(line: string): void;
  /** Draws the bar one last time under every line logged, and leaves the cursor on the line below. */
  stop(): void;
}

/**
 * A progress bar on `stream` when it is a terminal (null otherwise: a log file or a pipe gets no bar).
 *
 * cli-progress's MultiBar, not its SingleBar, even for one bar: a SingleBar saves the cursor when it starts and
 * restores it when it stops, so the lines printed during the run were overwritten by whatever came after the bar;
 * a MultiBar prints its log lines above the bar instead. And `linewrap: true`, because the default turns the
 * terminal's line wrapping off for the run (`ESC[?7l`): lines longer than the terminal were cut, and a Ctrl-C left
 * the terminal without wrapping. With it the bar trims itself to the width and the terminal is left as it was.
 */
export function terminalProgress(stream: NodeJS.WriteStream, total: number, format: string): TerminalProgress | null {
  if (!stream.isTTY) return null;
  const bars = new MultiBar({ format, stream, linewrap: true }, Presets.shades_classic);
  const bar = bars.create(total, 0);
  return {
    update: (done) => bar.update(done),
    log: (line) => bars.log(`${line}\n`),
    stop: () => {
      // Lines logged since the last redraw are printed by a redraw, which stop() alone does not make.
      bars.update();
      bars.stop();
    },
  };
}
