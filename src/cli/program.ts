import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import { AGENT_ROLES } from '../agents/role-ids.ts'
import { CliError, EXIT } from './cli-error.ts'
import type { ApiClient } from './api-client.ts'
import { type CliIo, warn } from './cli-io.ts'

// Each command's module loads when it runs, so `sage nodes` or `--help` do not pay for the others.
const sessionCommands = () => import('./commands/session.commands.ts')
const iterationCommands = () => import('./commands/iteration.commands.ts')

/** The seven roles, for `--agents` and `--from`: the server's own list (a leaf file, so the CLI loads nothing else of the server). */
export const ROLES = AGENT_ROLES

const PLANS = ['dag', 'parallel', 'sequential']
const STATUSES = ['active', 'completed', 'failed', 'cancelled']

function positiveNumber(value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a number of 0 or more.')
  return n
}

function positiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('must be a whole number of 1 or more.')
  return Number(value)
}

function roleList(value: string): string[] {
  const roles = value.split(',').map((r) => r.trim()).filter(Boolean)
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r))
  if (roles.length === 0 || unknown.length > 0) throw new InvalidArgumentError(`unknown role ${unknown.join(', ') || '(none)'}; roles: ${ROLES.join(', ')}.`)
  return roles
}

function role(value: string): string {
  if (!(ROLES as readonly string[]).includes(value)) throw new InvalidArgumentError(`roles: ${ROLES.join(', ')}.`)
  return value
}

/** Builds the `sage` program; each action resolves its exit code into `exit`. */
function buildProgram(io: CliIo, exit: { code: number }): Command {
  const program = new Command()
    .name('sage')
    .description('Drive a running Sage Mode from the terminal (bun run sage <command>).')
    .option('--url <url>', 'the server (default: SAGE_URL, the one `sage login` saved, or http://localhost:3000)')
    .exitOverride()
    .showSuggestionAfterError(false)
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // One line: `sage: <what was wrong>` (commander's own message, without its "error:" prefix).
      outputError: (s, write) => write(`sage: ${s.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim()}\n`),
    })
  const url = (): string | undefined => program.opts<{ url?: string }>().url
  const act = <A extends unknown[]>(fn: (...args: A) => Promise<number>) => async (...args: A): Promise<void> => {
    exit.code = await fn(...args)
  }
  const client = async (): Promise<ApiClient> => (await import('./cli-context.ts')).authedClient(io, url())

  program
    .command('login')
    .description('ask for username and password, create a personal API token and save it (mode 0600)')
    .option('--username <name>', 'username or email (asked when absent)')
    .option('--password-stdin', 'read the password from stdin instead of asking')
    .option('--token-name <name>', 'name of the token to create')
    .option('--expires-in-days <days>', 'lifetime of the token', positiveInt)
    .action(act(async (flags) => (await import('./commands/login.command.ts')).loginCommand(io, { ...flags, url: url() })))

  const featureOptions = (cmd: Command): Command =>
    cmd
      .requiredOption('--team <team>', 'team id or name')
      .option('--description <text>', 'what the feature is')
      .addOption(new Option('--plan <plan>', 'how the agents are ordered').choices(PLANS))
      .option('--agents <roles>', 'comma-separated roles (default: all seven)', roleList)

  featureOptions(program.command('run').argument('<feature>', 'the feature name'))
    .description('start a session; on a terminal (or with --follow) show one live line per agent until it ends')
    .option('--review <review>', 'none, all, or comma-separated roles whose output waits for a human verdict')
    .option('--budget <usd>', 'session budget in USD', positiveNumber)
    .option('--follow', 'follow the session until it ends (the default on a terminal)')
    .option('--no-follow', 'print the new session and return')
    .option('--json', 'print the new session as JSON (implies --no-follow unless --follow)')
    .action(act(async (feature: string, flags) => (await sessionCommands()).runCommand(io, await client(), feature, flags)))

  program
    .command('follow')
    .argument('<id>', 'session id')
    .description('follow a session to its end (exit 0 completed, 1 failed)')
    .action(act(async (id: string) => (await sessionCommands()).followCommand(io, await client(), id)))

  program
    .command('sessions')
    .description('list sessions, newest first')
    .option('--team <team>', 'team id or name')
    .addOption(new Option('--status <status>', 'only sessions in this status').choices(STATUSES))
    .option('--limit <n>', 'how many (default 25)', positiveInt)
    .option('--json', 'JSON instead of a table')
    .action(act(async (flags) => (await sessionCommands()).sessionsCommand(io, await client(), flags)))

  program
    .command('show')
    .argument('<id>', 'session id')
    .description('show a session and its tasks')
    .option('--json', 'JSON instead of text')
    .action(act(async (id: string, flags) => (await sessionCommands()).showCommand(io, await client(), id, flags)))

  program
    .command('export')
    .argument('<id>', 'session id')
    .description('the design document of a session')
    .addOption(new Option('--format <format>', 'md or json').choices(['md', 'json']).default('md'))
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .action(act(async (id: string, flags) => (await iterationCommands()).exportCommand(io, await client(), id, flags)))

  program
    .command('review')
    .argument('<task>', 'task id')
    .addArgument(new Argument('<verdict>', 'approve, changes or reject').choices(['approve', 'changes', 'reject']))
    .description('give a verdict on a task awaiting review')
    .option('-m, --message <comment>', 'comment (required for changes and reject)')
    .action(act(async (task: string, verdict: string, flags) => (await iterationCommands()).reviewCommand(io, await client(), task, verdict, flags)))

  program
    .command('resume')
    .argument('<id>', 'session id')
    .description('run a failed or cancelled session’s unfinished tasks again')
    .action(act(async (id: string) => (await iterationCommands()).resumeCommand(io, await client(), id)))

  program
    .command('fork')
    .argument('<id>', 'session id')
    .description('a new session that reruns one role and everything downstream of it')
    .requiredOption('--from <role>', 'the role to run again', role)
    .option('-m, --message <feedback>', 'feedback for that role')
    .action(act(async (id: string, flags) => (await iterationCommands()).forkCommand(io, await client(), id, flags)))

  program
    .command('diff')
    .argument('<a>', 'session id')
    .argument('<b>', 'session id to compare against')
    .description('what changed per role between two sessions')
    .option('--json', 'JSON instead of text')
    .action(act(async (a: string, b: string, flags) => (await iterationCommands()).diffCommand(io, await client(), a, b, flags)))

  featureOptions(program.command('estimate').argument('<feature>', 'the feature name'))
    .description('what a session would cost, before it starts')
    .option('--json', 'JSON instead of a table')
    .action(act(async (feature: string, flags) => (await iterationCommands()).estimateCommand(io, await client(), feature, flags)))

  program
    .command('eval')
    .description('run a suite of feature briefs and report their quality figures')
    .option('--suite <dir>', 'folder of brief files (default eval/briefs)')
    .option('--baseline <file>', 'compare with this baseline: exit 1 on a regression beyond its tolerance')
    .option('--write-baseline <file>', 'write the figures as a new baseline')
    .option('--local', 'run on an embedded server in this process (PGlite in a temp dir) instead of --url')
    .option('--team <team>', 'team to run the briefs in (default: a team named "sage eval", created if missing)')
    .option('--concurrency <n>', 'sessions at once (default 4)', positiveInt)
    .option('--json', 'print the figures as JSON')
    .action(act(async (flags) => (await import('./commands/eval.command.ts')).evalCommand(io, { ...flags, url: url() })))

  program
    .command('nodes')
    .description('the actor nodes and the partitions each holds (reads DATABASE_URL directly)')
    .option('--json', 'JSON instead of a table')
    .action(act(async (flags) => (await import('./commands/nodes.command.ts')).nodesCommand(io, flags)))

  program
    .command('dead-letters')
    .description('messages the actor runtime gave up on, newest first (reads DATABASE_URL directly)')
    .option('--limit <n>', 'how many to list (default 50)', positiveInt)
    .option('--json', 'JSON instead of a table')
    .action(act(async (flags) => (await import('./commands/dead-letters.command.ts')).deadLettersCommand(io, flags)))

  return program
}

/**
 * Runs `sage` with `args` (without `bun` and the script). Resolves with the exit code of
 * API.md: 0 done, 1 the session or check failed, 2 bad usage or input (one line on stderr),
 * 130 interrupted. Never throws.
 */
export async function runCli(io: CliIo, args: string[]): Promise<number> {
  const exit = { code: EXIT.ok as number }
  if (args.length === 0) {
    warn(io, 'missing command; see `sage --help`')
    return EXIT.usage
  }
  try {
    await buildProgram(io, exit).parseAsync(args, { from: 'user' })
    return exit.code
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not errors; everything else commander refused is bad usage (already printed).
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? EXIT.ok : EXIT.usage
    }
    if (error instanceof CliError) {
      warn(io, error.message)
      return error.exitCode
    }
    warn(io, `unexpected error: ${error instanceof Error ? error.message : String(error)}`)
    return EXIT.failed
  }
}
