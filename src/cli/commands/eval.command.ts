import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import {
  type Baseline,
  BaselineSchema,
  baselineFigures,
  compareFigures,
  computeFigures,
  DEFAULT_TOLERANCE,
  type EvalFigures,
  formatDifferences,
  formatFigures,
  type LocalServer,
  loadSuite,
  runSuite,
  SuiteError,
} from '../../eval/index.ts'
import { type ApiClient, createApiClient } from '../api-client.ts'
import { CliError, EXIT } from '../cli-error.ts'
import { authedClient, resolveTeam } from '../cli-context.ts'
import { type CliIo, println, warn } from '../cli-io.ts'

/** Flags of `sage eval`. */
export interface EvalFlags {
  url?: string
  suite?: string
  baseline?: string
  writeBaseline?: string
  local?: boolean
  team?: string
  concurrency?: number
  json?: boolean
}

/** The team eval runs in when `--team` is not given. */
export const EVAL_TEAM = 'sage eval'

async function readBaseline(path: string): Promise<Baseline> {
  let raw: unknown
  try {
    raw = JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    throw new CliError(`cannot read the baseline ${path}: ${error instanceof Error ? error.message : String(error)}`)
  }
  const parsed = BaselineSchema.safeParse(raw)
  if (!parsed.success) throw new CliError(`${path} is not a baseline: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`)
  return parsed.data
}

async function evalTeam(client: ApiClient, ref: string | undefined): Promise<number> {
  if (ref !== undefined) return (await resolveTeam(client, ref)).id
  const teams = await client.call<Array<{ id: number; name: string }>>('GET', '/api/teams')
  const found = teams.find((t) => t.name === EVAL_TEAM)
  if (found) return found.id
  return (await client.call<{ team: { id: number } }>('POST', '/api/teams', { body: { name: EVAL_TEAM, description: 'Runs of sage eval' } })).team.id
}

/**
 * `sage eval`: runs every brief of the suite through the real path (a server's API, or an
 * embedded one in this process with --local), prints the quality figures per role and for
 * the suite, and with --baseline the differences: exit 1 on a regression beyond the
 * baseline's tolerance, 0 otherwise.
 */
export async function evalCommand(io: CliIo, flags: EvalFlags): Promise<number> {
  const suiteDir = flags.suite ?? 'eval/briefs'
  let suite
  try {
    suite = await loadSuite(suiteDir)
  } catch (error) {
    if (error instanceof SuiteError) throw new CliError(error.message)
    throw error
  }
  const baseline = flags.baseline ? await readBaseline(flags.baseline) : null
  let local: LocalServer | null = null
  let figures: EvalFigures
  try {
    let client: ApiClient
    if (flags.local) {
      local = await startLocalServer(io)
      client = createApiClient(local.url, local.token)
    } else {
      client = await authedClient(io, flags.url)
    }
    const teamId = await evalTeam(client, flags.team)
    const records = await runSuite(client, suite, {
      teamId,
      concurrency: flags.concurrency ?? 4,
      onBrief: (r) => {
        if (!flags.json) warn(io, `${r.brief}: session ${r.session_id} ${r.status}${r.expectations.missed.length ? `; missing ${r.expectations.missed.join(', ')}` : ''}`)
      },
    })
    figures = computeFigures(records)
  } finally {
    await local?.stop()
  }
  const provider = flags.local ? (io.env.MODEL_PROVIDER?.trim() || 'simulated') : 'server'
  const differences = baseline ? compareFigures(baseline, figures) : null
  if (flags.json) {
    println(io, JSON.stringify({ provider, figures, ...(differences ? { differences } : {}) }, null, 2))
  } else {
    for (const line of formatFigures(figures)) println(io, line)
    if (differences) for (const line of formatDifferences(differences)) println(io, line)
  }
  if (flags.writeBaseline) {
    const tolerance = baseline?.tolerance ?? DEFAULT_TOLERANCE
    const written: Baseline = { provider, tolerance, figures: baselineFigures(figures, tolerance) }
    await mkdir(dirname(flags.writeBaseline), { recursive: true })
    await writeFile(flags.writeBaseline, `${JSON.stringify(written, null, 2)}\n`)
    if (!flags.json) println(io, `wrote the baseline ${flags.writeBaseline}`)
  }
  return differences?.some((d) => d.regression) ? EXIT.failed : EXIT.ok
}

async function startLocalServer(io: CliIo): Promise<LocalServer> {
  const { startLocalServer: start } = await import('../../eval/index.ts')
  try {
    return await start(io.env)
  } catch (error) {
    throw new CliError(`cannot start the local server: ${error instanceof Error ? error.message : String(error)}`, EXIT.failed)
  }
}
