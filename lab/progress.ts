// Progress lines for a person watching a terminal; silent when output goes to a file or CI.

export function progress(message: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${message}`);
}

export function progressDone(message?: string): void {
  if (!process.stderr.isTTY) return;
  process.stderr.write('\r\x1b[2K');
  if (message) process.stderr.write(`${message}\n`);
}
