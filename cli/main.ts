import { Command, CommanderError, Option } from 'commander';
import { COMMANDS, type CommandSpec } from './command-table.js';
import { CliError, EXIT } from './errors.js';

/**
 * `keygate`: builds the parser from the command table, runs the chosen command, and turns failures
 * into a message on stderr and an exit code (0 ok, 1 the API refused, 2 bad usage).
 */

const collect = (value: string, previous: string[] = []) => [...previous, value];

function register(program: Command, spec: CommandSpec): void {
  const words = spec.name.split(' ');
  let parent = program;
  for (const word of words.slice(0, -1)) {
    parent =
      parent.commands.find((command) => command.name() === word) ??
      parent.command(word).description(`${word} commands`).showHelpAfterError();
  }
  const command = parent.command(words.at(-1) as string).description(spec.summary);
  for (const arg of spec.args ?? []) {
    const name = arg.variadic ? `${arg.name}...` : arg.name;
    command.argument(arg.optional ? `[${name}]` : `<${name}>`, arg.description);
  }
  for (const option of spec.options ?? []) {
    command.addOption(
      option.repeatable
        ? new Option(option.flags, option.description).argParser(collect)
        : new Option(option.flags, option.description),
    );
  }
  command.action(async (...received: unknown[]) => {
    // Commander passes the arguments, then the options object, then the command.
    const options = received.at(-2) as Record<string, unknown>;
    const args = received
      .slice(0, -2)
      .flatMap((value) => (Array.isArray(value) ? value : [value])) as string[];
    const { run } = await spec.load();
    await run({ args, options });
  });
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command('keygate')
    .description(
      'Manage keygate API keys from a terminal. Credentials: KEYGATE_URL + KEYGATE_TOKEN, or keygate login.',
    )
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  for (const spec of COMMANDS) register(program, spec);
  // Commander lists a group (`keys`) without its commands; people want every command in one place.
  const width = Math.max(...COMMANDS.map((spec) => spec.name.length));
  program.addHelpText(
    'after',
    `\nEvery command (keygate <command> --help for its options):\n${COMMANDS.map(
      (spec) => `  keygate ${spec.name.padEnd(width)}  ${spec.summary}`,
    ).join('\n')}\n`,
  );
  // Every (sub)command exits through the override, so usage errors are exit 2, not commander's 1.
  const override = (command: Command) => {
    command.exitOverride();
    for (const child of command.commands) override(child);
  };
  override(program);
  // Commander's `help` command reads one word; `keygate help keys create` means that command's help.
  const words = argv[0] === 'help' && argv.length > 1 ? [...argv.slice(1), '--help'] : argv;
  try {
    await program.parseAsync(words, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help asked for (`--help`, `help`) exits 0; help shown because no command was given is usage.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliError) {
      process.stderr.write(`keygate: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
