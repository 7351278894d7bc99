// A one-line progress bar on stderr, shown only on a TTY and only once a run has taken
// longer than a second: short runs and pipes stay quiet.

export function progressBar(label: string): { update: (done: number) => void; done: () => void } {
  const start = performance.now();
  let shown = false;
  let last = -1;
  const width = 30;
  return {
    update(done: number) {
      if (performance.now() - start < 1000) return;
      const pct = Math.floor(done * 100);
      if (pct === last) return;
      last = pct;
      shown = true;
      const fill = Math.round(done * width);
      process.stderr.write(`\r${label} [${'='.repeat(fill)}${' '.repeat(width - fill)}] ${pct}%`);
    },
    done() {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}
