import { writeFile } from 'node:fs/promises'
import { formatCost } from '../agent-board.ts'
import type { ApiClient } from '../api-client.ts'
import { CliError, EXIT } from '../cli-error.ts'
import { parseId } from '../cli-context.ts'
import { type CliIo, println } from '../cli-io.ts'
import { formatTable } from '../table-format.ts'
import { type FeatureFlags, featureBody } from './session.commands.ts'

/** `sage review TASK approve|changes|reject [-m COMMENT]`: a verdict on a task awaiting review. */
export async function reviewCommand(io: CliIo, client: ApiClient, task: string, verdict: string, flags: { message?: string }): Promise<number> {
  const body = { verdict, ...(flags.message !== undefined ? { comment: flags.message } : {}) }
  const res = await client.call<{ task: { id: number; status: string } }>('POST', `/api/tasks/${parseId(task, 'task id')}/review`, { body })
  println(io, `task ${res.task.id}: ${verdict}; now ${res.task.status}`)
  return EXIT.ok
}

/** `sage resume ID`: a failed or cancelled session runs its failed, skipped and cancelled tasks again. */
export async function resumeCommand(io: CliIo, client: ApiClient, id: string): Promise<number> {
  const res = await client.call<{ session: { id: number; status: string } }>('POST', `/api/sessions/${parseId(id, 'session id')}/resume`)
  println(io, `session ${res.session.id} ${res.session.status}; follow it with: sage follow ${res.session.id}`)
  return EXIT.ok
}

/** `sage fork ID --from ROLE [-m FEEDBACK]`: a new session that reruns ROLE and everything downstream of it. */
export async function forkCommand(io: CliIo, client: ApiClient, id: string, flags: { from: string; message?: string }): Promise<number> {
  const body = { from_role: flags.from, ...(flags.message !== undefined ? { feedback: flags.message } : {}) }
  const res = await client.call<{ session: { id: number; status: string } }>('POST', `/api/sessions/${parseId(id, 'session id')}/fork`, { body })
  println(io, `session ${res.session.id} forked from ${id} at ${flags.from}; follow it with: sage follow ${res.session.id}`)
  return EXIT.ok
}

interface DiffJson {
  session_id: number
  against_id: number
  roles: Array<{
    agent_role: string
    status: string | null
    against_status: string | null
    confidence: number | null
    against_confidence: number | null
    decisions: { added: string[]; removed: string[]; kept: string[] }
    fields_changed: string[]
  }>
  cost_usd_delta: number
}

/** `sage diff A B`: what changed per role between two sessions. */
export async function diffCommand(io: CliIo, client: ApiClient, a: string, b: string, flags: { json?: boolean }): Promise<number> {
  const diff = await client.call<DiffJson>('GET', `/api/sessions/${parseId(a, 'session id')}/diff?against=${parseId(b, 'session id')}`)
  if (flags.json) {
    println(io, JSON.stringify(diff, null, 2))
    return EXIT.ok
  }
  println(io, `session ${diff.session_id} against ${diff.against_id}: cost ${diff.cost_usd_delta >= 0 ? '+' : ''}${diff.cost_usd_delta.toFixed(4)} USD`)
  for (const r of diff.roles) {
    const same =
      r.status === r.against_status && r.confidence === r.against_confidence && r.fields_changed.length + r.decisions.added.length + r.decisions.removed.length === 0
    if (same) {
      println(io, `${r.agent_role}: unchanged (${r.status ?? '-'})`)
      continue
    }
    const conf = r.confidence === r.against_confidence ? '' : `, confidence ${r.against_confidence ?? '-'} → ${r.confidence ?? '-'}`
    println(io, `${r.agent_role}: ${r.against_status ?? '-'} → ${r.status ?? '-'}${conf}; fields changed: ${r.fields_changed.join(', ') || 'none'}`)
    for (const d of r.decisions.added) println(io, `  + ${d}`)
    for (const d of r.decisions.removed) println(io, `  - ${d}`)
  }
  return EXIT.ok
}

/** `sage export ID [--format md|json] [-o FILE]`: the design document, to stdout or a file. */
export async function exportCommand(io: CliIo, client: ApiClient, id: string, flags: { format: string; output?: string }): Promise<number> {
  const res = await client.fetch('GET', `/api/sessions/${parseId(id, 'session id')}/export?format=${encodeURIComponent(flags.format)}`, {
    headers: { accept: flags.format === 'json' ? 'application/json' : 'text/markdown' },
  })
  const text = await res.text()
  if (flags.output) {
    await writeFile(flags.output, text).catch((error: unknown) => {
      throw new CliError(`cannot write ${flags.output}: ${error instanceof Error ? error.message : String(error)}`)
    })
    println(io, `wrote ${flags.output} (${Buffer.byteLength(text)} bytes)`)
  } else {
    io.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
  }
  return EXIT.ok
}

interface EstimateJson {
  input_tokens: number
  output_tokens: number
  cost_usd: number
  by_role: Array<{ agent_role: string; model: string; input_tokens: number; output_tokens: number; cost_usd: number }>
}

/** `sage estimate --team T "feature" […]`: what the session would cost, before it starts. */
export async function estimateCommand(io: CliIo, client: ApiClient, feature: string, flags: FeatureFlags & { json?: boolean }): Promise<number> {
  const estimate = await client.call<EstimateJson>('POST', '/api/sessions/estimate', { body: await featureBody(client, feature, flags) })
  if (flags.json) {
    println(io, JSON.stringify(estimate, null, 2))
    return EXIT.ok
  }
  const rows = estimate.by_role.map((r) => [r.agent_role, r.model, String(r.input_tokens), String(r.output_tokens), formatCost(r.cost_usd)])
  rows.push(['total', '', String(estimate.input_tokens), String(estimate.output_tokens), formatCost(estimate.cost_usd)])
  for (const line of formatTable(['ROLE', 'MODEL', 'INPUT', 'OUTPUT', 'COST'], rows)) println(io, line)
  return EXIT.ok
}
