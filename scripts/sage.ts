/**
 * `bun run sage <command>`: the command line (src/cli/). `bun run sage --help` lists the commands.
 * Exit codes: 0 done, 1 the session or check failed, 2 bad usage or input, 130 interrupted.
 */
import { processIo, runCli } from '../src/cli/index.ts'

const code = await runCli(processIo(), process.argv.slice(2))
// Let stdout drain (a pipe may be slow) before leaving.
await new Promise<void>((resolve) => process.stdout.write('', () => resolve()))
process.exit(code)
