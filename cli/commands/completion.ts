import type { CommandInput } from '../command-table.js';
import { COMMANDS } from '../command-table.js';
import { UsageError } from '../errors.js';

/**
 * `keygate completion bash|zsh`: a completion script built from the command table, so it always
 * offers exactly the commands and options that exist. Install: `source <(keygate completion bash)`.
 */

/** Words that may follow each command prefix ('' is the top level), options included. */
function completionTable(): Map<string, string[]> {
  const table = new Map<string, Set<string>>();
  const add = (prefix: string, word: string) => {
    const set = table.get(prefix) ?? new Set<string>();
    set.add(word);
    table.set(prefix, set);
  };
  for (const command of COMMANDS) {
    const words = command.name.split(' ');
    for (const [i, word] of words.entries()) add(words.slice(0, i).join(' '), word);
    for (const option of command.options ?? []) add(command.name, option.flags.split(' ')[0] as string);
    add(command.name, '--help');
  }
  add('', '--help');
  return new Map([...table.entries()].map(([prefix, words]) => [prefix, [...words]]));
}

/**
 * The lines both shells run: the command words typed before the cursor, up to the first option,
 * joined into `prefix`; then, by `prefix`, one `case` per entry of the table, each setting what to offer.
 */
function prefixCase(wordsBeforeCursor: string, offer: (words: string[]) => string): string {
  const cases = [...completionTable().entries()]
    .map(([prefix, words]) => `    "${prefix}") ${offer(words)} ;;`)
    .join('\n');
  return `  for word in "${wordsBeforeCursor}"; do
    [[ "$word" == -* ]] && break
    prefix="\${prefix:+$prefix }$word"
  done
  case "$prefix" in
${cases}
  esac`;
}

function bash(): string {
  return `# keygate completion for bash: source <(keygate completion bash)
_keygate() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prefix="" word words=""
${prefixCase(`\${COMP_WORDS[@]:1:COMP_CWORD-1}`, (words) => `words="${words.join(' ')}"`)}
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _keygate keygate
`;
}

function zsh(): string {
  return `#compdef keygate
# keygate completion for zsh: source <(keygate completion zsh)
_keygate() {
  local prefix="" word
  local -a candidates
${prefixCase(`\${(@)words[2,CURRENT-1]}`, (words) => `candidates=(${words.join(' ')})`)}
  compadd -- "\${candidates[@]}"
}
compdef _keygate keygate
`;
}

export async function run({ args: [shell] }: CommandInput): Promise<void> {
  if (shell === 'bash') process.stdout.write(bash());
  else if (shell === 'zsh') process.stdout.write(zsh());
  else
    throw new UsageError(
      `no completion for "${shell}": use keygate completion bash or keygate completion zsh.`,
    );
}
