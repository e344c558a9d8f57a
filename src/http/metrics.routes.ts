import { Elysia } from 'elysia'
import type { AppDeps } from './deps.ts'

/** What `/metrics` needs: the process's metrics registry (the actor node's, when it runs one). */
export type MetricsDeps = Pick<AppDeps, 'config' | 'metrics'>

/**
 * `GET /metrics`: Prometheus text (per-partition lag and owner, messages handled,
 * failed and dead-lettered, Worker-pool state) when this process runs an actor node, and
 * the application's HTTP, task and token figures. Never throws.
 */
export function metricsRoutes(deps: MetricsDeps) {
  return new Elysia({ name: 'metrics' }).get('/metrics', async ({ set }) => {
    set.headers['content-type'] = 'text/plain; version=0.0.4; charset=utf-8'
    const up = `# HELP sage_up 1 while this process serves\n# TYPE sage_up gauge\nsage_up{node="${deps.config.NODE_ID}"} 1\n`
    const rest = await deps.metrics.render()
    return rest.trim() ? up + rest : up
  })
}
