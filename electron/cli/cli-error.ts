// A command-line failure a person can act on: what happened, what to do, and the exit code (tshark's
// where tshark has one: 1 for bad arguments, 2 for unreadable captures and bad filters).
export class CliError extends Error {
  constructor(message: string, readonly hint: string, readonly exitCode = 1) {
    super(message);
  }
}
