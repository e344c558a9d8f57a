import { Elysia } from 'elysia'
import type { MetricsRegistry } from '../metrics/index.ts'
import type { AppDeps } from './app.ts'

/**
 * What `/metrics` needs: the process's metrics registry, when it runs an actor node.
 * The service passes it beside the other app dependencies (`metrics`).
 */
export type MetricsDeps = Pick<AppDeps, 'config'> & { metrics?: MetricsRegistry | null }

/**
 * `GET /metrics`: Prometheus text (per-partition lag and owner, messages handled,
 * failed and dead-lettered, Worker-pool state) for the actor node of this process.
 * A process without a node answers with only `sage_up`. Never throws.
 */
export function metricsRoutes(deps: MetricsDeps) {
  return new Elysia({ name: 'metrics' }).get('/metrics', async ({ set }) => {
    set.headers['content-type'] = 'text/plain; version=0.0.4; charset=utf-8'
    const up = `# HELP sage_up 1 while this process serves\n# TYPE sage_up gauge\nsage_up{node="${deps.config.NODE_ID}"} 1\n`
    return deps.metrics ? up + (await deps.metrics.render()) : up
  })
}
