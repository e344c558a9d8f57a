/**
 * `bun run sage <command>`: the command line (src/cli/). `bun run sage --help` lists the commands.
 * Exit codes: 0 done, 1 the session or check failed, 2 bad usage or input, 130 interrupted.
 */
// The program and the streams only, not src/cli/index.ts: each command loads its own modules
// when it runs, so a quick command (`nodes`, `--help`) starts without the others' dependencies.
import { processIo } from '../src/cli/cli-io.ts'
import { runCli } from '../src/cli/program.ts'

const code = await runCli(processIo(), process.argv.slice(2))
// Let stdout drain (a pipe may be slow) before leaving.
await new Promise<void>((resolve) => process.stdout.write('', () => resolve()))
process.exit(code)
