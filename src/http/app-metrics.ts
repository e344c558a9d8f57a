import { Elysia } from 'elysia'
import { type Kysely, sql } from 'kysely'
import type { Database } from '../db/index.ts'
import type { MetricsRegistry } from '../metrics/index.ts'

/**
 * The application's gauges on `/metrics`, beside the actor runtime's: agent tasks by
 * status and model tokens by model, read from the database at scrape time (so every
 * process agrees). Register once per process.
 */
export function registerAppGauges(metrics: MetricsRegistry, db: Kysely<Database>): void {
  metrics.gauge('sage_tasks', 'Agent tasks by status', async () => {
    const rows = await db.selectFrom('agent_tasks').select(['status', sql<number>`count(*)::int`.as('n')]).groupBy('status').execute()
    return rows.map((r) => ({ labels: { status: r.status }, value: r.n }))
  })
  metrics.gauge('sage_model_tokens', 'Model tokens used by agent tasks, by model and direction', async () => {
    const rows = await db
      .selectFrom('agent_tasks')
      .select(['model', sql<number>`coalesce(sum(input_tokens), 0)::bigint`.as('input'), sql<number>`coalesce(sum(output_tokens), 0)::bigint`.as('output')])
      .where('model', 'is not', null)
      .groupBy('model')
      .execute()
    return rows.flatMap((r) => [
      { labels: { model: r.model ?? '', direction: 'input' }, value: Number(r.input) },
      { labels: { model: r.model ?? '', direction: 'output' }, value: Number(r.output) },
    ])
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
