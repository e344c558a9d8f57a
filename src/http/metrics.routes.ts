import { createHash, timingSafeEqual } from 'node:crypto'
import { Elysia } from 'elysia'
import type { AppDeps } from './deps.ts'
import { HttpError } from './errors.ts'

/** What `/metrics` needs: the process's metrics registry (the actor node's, when it runs one). */
export type MetricsDeps = Pick<AppDeps, 'config' | 'metrics'>

const digest = (v: string): Buffer => createHash('sha256').update(v).digest()

// Compared as digests, in constant time: the answer says nothing about how much of a guess matched.
function bearerMatches(header: string | null, token: string): boolean {
  const given = /^Bearer (\S+)$/i.exec(header ?? '')?.[1]
  return given !== undefined && timingSafeEqual(digest(given), digest(token))
}

/**
 * `GET /metrics`: Prometheus text (per-partition lag and owner, messages handled,
 * failed and dead-lettered, Worker-pool state) when this process runs an actor node, and
 * the application's HTTP, task and token figures. With `METRICS_TOKEN` set, only a request
 * carrying `Authorization: Bearer <token>` gets them (401 otherwise). Never throws otherwise.
 */
export function metricsRoutes(deps: MetricsDeps) {
  const token = deps.config.METRICS_TOKEN
  return new Elysia({ name: 'metrics' }).get('/metrics', async ({ request, set }) => {
    if (token !== undefined && !bearerMatches(request.headers.get('authorization'), token)) {
      throw new HttpError(401, 'unauthorized', 'Send the metrics token as a bearer token.', undefined, { 'www-authenticate': 'Bearer realm="metrics"' })
    }
    set.headers['content-type'] = 'text/plain; version=0.0.4; charset=utf-8'
    const up = `# HELP sage_up 1 while this process serves\n# TYPE sage_up gauge\nsage_up{node="${deps.config.NODE_ID}"} 1\n`
    const rest = await deps.metrics.render()
    return rest.trim() ? up + rest : up
  })
}
