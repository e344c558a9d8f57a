import { Elysia } from 'elysia'
import type { Kysely } from 'kysely'
import { countDeadLetters } from '../actors/index.ts'
import type { Database } from '../db/index.ts'
import type { MetricsRegistry } from '../metrics/index.ts'
import { countTasksByStatus, tokensByModel } from '../sessions/index.ts'

/**
 * The application's gauges on `/metrics`, beside the actor runtime's: agent tasks by
 * status, model tokens by model and recorded dead letters by actor kind, read from the
 * database at scrape time (so every process agrees). Register once per process.
 */
export function registerAppGauges(metrics: MetricsRegistry, db: Kysely<Database>): void {
  metrics.gauge('sage_tasks', 'Agent tasks by status', async () => {
    const rows = await countTasksByStatus(db)
    return rows.map((r) => ({ labels: { status: r.status }, value: r.n }))
  })
  metrics.gauge('sage_model_tokens', 'Model tokens used by agent tasks, by model and direction', async () => {
    const rows = await tokensByModel(db)
    return rows.flatMap((r) => [
      { labels: { model: r.model, direction: 'input' }, value: r.input },
      { labels: { model: r.model, direction: 'output' }, value: r.output },
    ])
  })
  metrics.gauge('sage_dead_letters', 'Messages the actor runtime gave up on, as recorded (`sage dead-letters` lists them), by the kind of actor they were for', async () => {
    const rows = await countDeadLetters(db)
    return rows.map((r) => ({ labels: { kind: r.kind }, value: r.n }))
  })
}

/** Counts the HTTP requests this process answers, by method and status. */
export function httpMetrics(metrics: MetricsRegistry) {
  const requests = metrics.counter('sage_http_requests_total', 'HTTP requests answered, by method and status')
  return new Elysia({ name: 'http-metrics' }).onAfterResponse({ as: 'global' }, ({ request, set, responseValue }) => {
    const status = responseValue instanceof Response ? responseValue.status : typeof set.status === 'number' ? set.status : 200
    requests.inc({ method: request.method, status })
  })
}
