/**
 * The one bootstrap of every command in bin/: options parsed by commander (typed, with a generated
 * `--help`), a usage error said in one line with exit status 2, and a failure said in one line
 * with exit status 1, never a stack trace. `npm run <command> -- --help` shows each one's usage.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';

/** Parses this process's arguments for `name`, as `describe` declares them; exits on --help or a usage error. */
export function parseCommand(
  name: string,
  describe: (command: Command) => Command,
  argv: readonly string[] = process.argv,
): { options: Record<string, unknown>; args: string[] } {
  const command = describe(new Command(name).helpOption('-h, --help', 'show this help'))
    .configureOutput({
      writeErr: (text) => process.stderr.write(text),
      outputError: (text, write) => write(`${name}: ${text.replace(/^error: /, '')}`),
    })
    .showHelpAfterError(`(npm run ${name} -- --help for usage)`)
    .exitOverride();
  try {
    command.parse([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) process.exit(error.code === 'commander.helpDisplayed' ? 0 : 2);
    throw error;
  }
  return { options: command.opts(), args: command.args };
}

/** Runs a command's main: its exit status, or one line saying what failed and status 1. */
export function runMain(name: string, main: () => Promise<number | void>): void {
  main().then(
    (status) => process.exit(status ?? 0),
    (error: unknown) => {
      console.error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}

/** A whole number at least `min`, for an option given as text. */
export function wholeNumber(min: number): (raw: string) => number {
  return (raw) => {
    if (!/^\d{1,9}$/.test(raw) || Number(raw) < min) {
      throw new InvalidArgumentError(`expected a whole number of at least ${min}, got "${raw}"`);
    }
    return Number(raw);
  };
}
