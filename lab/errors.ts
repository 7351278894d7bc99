// One kind of error a person can act on: a single paragraph, printed without a stack trace,
// exit code 2. Everything else that escapes is a bug and is shown as such.

export class LabError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabError';
  }
}
