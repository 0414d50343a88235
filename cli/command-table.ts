/**
 * Every `keygate` command as data: its words, arguments, options and the module that runs it. The
 * parser, `--help` and shell completion are built from this one table; a command's module (and what
 * it imports: the HTTP client, tables) loads only when that command runs, so start-up stays quick.
 */

export interface ArgumentSpec {
  name: string;
  description: string;
  variadic?: boolean;
  /** May be left out (`[name...]` rather than `<name...>`); the command checks what it needs. */
  optional?: boolean;
}

export interface OptionSpec {
  /** Commander flags, e.g. `--scope <scope>` or `--yes`. */
  flags: string;
  description: string;
  /** Given several times (`--scope a --scope b`), collected in order. */
  repeatable?: boolean;
}

export interface CommandInput {
  args: string[];
  options: Record<string, unknown>;
}

export interface CommandSpec {
  /** The words after `keygate`, e.g. `keys list`. */
  name: string;
  summary: string;
  args?: ArgumentSpec[];
  options?: OptionSpec[];
  load: () => Promise<{ run: (input: CommandInput) => Promise<void> }>;
}

const JSON_OPTION: OptionSpec = { flags: '--json', description: 'print JSON for scripts instead of a table' };

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'login',
    summary: 'sign in (in the browser) and save the URL and token for later commands',
    options: [
      {
        flags: '--url <url>',
        description:
          "the keygate URL: npm start's, or the stack's KeygateUrl output (default KEYGATE_URL, else the npm start running here, else http://localhost:3000)",
      },
      {
        flags: '--company <id>',
        description: 'the company to sign in to (the development issuer of npm start)',
      },
      { flags: '--no-browser', description: 'print the sign-in URL instead of opening a browser' },
      {
        flags: '--issuer <url>',
        description: 'OIDC issuer to sign in with (with --client-id), e.g. Cognito',
      },
      { flags: '--client-id <id>', description: "the CLI's app client id at --issuer" },
      {
        flags: '--token <token>',
        description:
          'save a root-admin token or API key instead of signing in; - reads it from stdin (keeps it out of shell history)',
      },
      {
        flags: '--local',
        description: 'npm start on this machine: sign a token with its issuer key, no browser',
      },
      { flags: '--email <address>', description: 'with --local: the admin email in the token' },
    ],
    load: () => import('./commands/login.js'),
  },
  {
    name: 'logout',
    summary: 'forget the saved URL and token',
    load: () => import('./commands/logout.js'),
  },
  {
    name: 'keys list',
    summary: "list the company's API keys, newest first",
    options: [JSON_OPTION],
    load: () => import('./commands/keys-list.js'),
  },
  {
    name: 'keys get',
    summary: 'show one API key',
    args: [{ name: 'id', description: 'the key id' }],
    options: [JSON_OPTION],
    load: () => import('./commands/keys-get.js'),
  },
  {
    name: 'keys create',
    summary: 'create an API key; its secret is printed once, on stdout',
    options: [
      { flags: '--name <name>', description: 'display name (required)' },
      {
        flags: '--scope <scope>',
        description: 'a scope the key holds (repeat for more; required)',
        repeatable: true,
      },
      { flags: '--expires-in <duration>', description: 'lifetime, e.g. 12h, 30d, 2w (1h to 365d)' },
      { flags: '--expires-at <time>', description: 'RFC 3339 expiry, e.g. 2030-01-31T12:00:00Z' },
      {
        flags: '--allow-ip <cidr>',
        description: 'an address or CIDR it may be used from (repeat)',
        repeatable: true,
      },
      JSON_OPTION,
    ],
    load: () => import('./commands/keys-create.js'),
  },
  {
    name: 'keys rename',
    summary: 'rename an API key',
    args: [{ name: 'id', description: 'the key id' }],
    options: [{ flags: '--name <name>', description: 'the new name (required)' }, JSON_OPTION],
    load: () => import('./commands/keys-rename.js'),
  },
  {
    name: 'keys delete',
    summary: 'delete (revoke) an API key; it stops working at once',
    args: [{ name: 'id', description: 'the key id' }],
    options: [{ flags: '--yes', description: 'do not ask for confirmation (required without a terminal)' }],
    load: () => import('./commands/keys-delete.js'),
  },
  {
    name: 'keys rotate',
    summary:
      'rotate an API key: a new secret (printed once, on stdout); the old key ends after a grace period',
    args: [{ name: 'id', description: 'the key id' }],
    options: [
      {
        flags: '--grace <duration>',
        description: 'how long the old key keeps working, e.g. 1h, 1d (default 1d; 0: ends now; at most 7d)',
      },
      JSON_OPTION,
    ],
    load: () => import('./commands/keys-rotate.js'),
  },
  {
    name: 'keys disable',
    summary: 'disable an API key: it is refused (401) until enabled again',
    args: [{ name: 'id', description: 'the key id' }],
    options: [JSON_OPTION],
    load: () => import('./commands/keys-enablement.js').then((m) => ({ run: m.runDisable })),
  },
  {
    name: 'keys enable',
    summary: 'enable a disabled API key again',
    args: [{ name: 'id', description: 'the key id' }],
    options: [JSON_OPTION],
    load: () => import('./commands/keys-enablement.js').then((m) => ({ run: m.runEnable })),
  },
  {
    name: 'audit list',
    summary: "list the company's audit log, newest first (changes and refused attempts)",
    options: [
      {
        flags: '--key <id>',
        description: 'only events about or by this key, and the rotation that created it',
      },
      {
        flags: '--action <action>',
        description: 'only events of this action, e.g. api-key.rotated, access.denied',
      },
      {
        flags: '--limit <n>',
        description: 'how many of the newest events to show (default 50, at most 1000)',
      },
      JSON_OPTION,
    ],
    load: () => import('./commands/audit-list.js'),
  },
  {
    name: 'scopes list',
    summary: 'list the scopes a key may hold',
    options: [
      { flags: '--search <text>', description: 'only scopes whose name or description contains it' },
      JSON_OPTION,
    ],
    load: () => import('./commands/scopes-list.js'),
  },
  {
    name: 'settings notifications get',
    summary: 'who receives the daily expiry email (root admins)',
    options: [JSON_OPTION],
    load: () => import('./commands/settings-notifications.js').then((m) => ({ run: m.runGet })),
  },
  {
    name: 'settings notifications set',
    summary: 'set who receives the daily expiry email (root admins)',
    args: [
      { name: 'emails', description: 'the addresses, replacing the list', variadic: true, optional: true },
    ],
    options: [{ flags: '--none', description: 'email nobody (stops the expiry email)' }, JSON_OPTION],
    load: () => import('./commands/settings-notifications.js').then((m) => ({ run: m.runSet })),
  },
  {
    name: 'catalog check',
    summary: 'check catalog files (keygate JSON, or OpenAPI 3.0/3.1 in JSON or YAML) offline',
    args: [{ name: 'files', description: 'one or more catalog files, checked together', variadic: true }],
    options: [JSON_OPTION],
    load: () => import('./commands/catalog-check.js'),
  },
  {
    name: 'completion',
    summary: 'print a shell completion script (bash or zsh)',
    args: [{ name: 'shell', description: 'bash or zsh' }],
    load: () => import('./commands/completion.js'),
  },
];
