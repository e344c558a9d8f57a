/**
 * The embedded default (PGlite in its Worker, in-process mailbox) beside the PostgreSQL + Redis
 * process, both as `bun src/main.ts` children driven over HTTP: whole sessions/s at latency 0,
 * peak RSS (VmHWM) of the embedded process from a fresh directory through its sessions, time from
 * spawn to /health 200 on a fresh directory, and the database's ready time with and without the
 * pre-made data directory (src/db/pglite-template.ts).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectDatabase, migrateToLatest } from '../src/db/index.ts'
import { buildPgliteTemplate } from '../src/db/pglite-template.ts'
import { silentLogger } from '../src/log/index.ts'
import { startServiceProcess } from '../test/support/service-process.ts'
import { drive } from './closed-loop.ts'
import type { BenchResult, BenchSizes } from './stats.ts'

export interface EmbeddedBenchEnv {
  databaseUrl: string
  redisUrl: string
  prefix: string
}

const BENCH = 'embedded default vs PostgreSQL + Redis (HTTP, latency 0)'

function peakRssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'))
  return Number.parseInt(line?.split(/\s+/)[1] ?? 'NaN', 10) / 1024
}

/** Runs `total` sessions over HTTP, `inFlight` at a time, on a started process; sessions/s. */
async function sessionsPerSecond(web: string, total: number, inFlight: number): Promise<number> {
  const signup = await fetch(`${web}/api/auth/signup`, {
    method: 'POST',
    headers: { origin: web, 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench_user', email: 'bench@example.com', password: 'password123' }),
  })
  const cookie = (signup.headers.get('set-cookie') ?? '').split(';')[0] as string
  const { csrf_token } = (await signup.json()) as { csrf_token: string }
  const headers = { origin: web, cookie, 'x-csrf-token': csrf_token, 'content-type': 'application/json' }
  const post = async <T>(path: string, body: unknown): Promise<T> =>
    (await (await fetch(`${web}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })).json()) as T
  const team = await post<{ team: { id: number } }>('/api/teams', { name: 'Bench team' })
  const { seconds } = await drive(
    {
      async run(i) {
        const t0 = performance.now()
        const { session } = await post<{ session: { id: number } }>('/api/sessions', { team_id: team.team.id, feature_name: `Bench feature ${i}` })
        for (;;) {
          const read = (await (await fetch(`${web}/api/sessions/${session.id}`, { headers })).json()) as { session: { status: string } }
          if (read.session.status !== 'active') break
          await Bun.sleep(100)
        }
        return performance.now() - t0
      },
    },
    total,
    inFlight,
  )
  return total / seconds
}

export async function benchEmbedded(env: EmbeddedBenchEnv, sizes: BenchSizes): Promise<BenchResult[]> {
  const total = sizes.smoke ? 60 : 300
  const results: BenchResult[] = []
  const add = (metric: string, value: number, unit: string): void => {
    results.push({ benchmark: BENCH, metric, subject: 'sage', value, unit })
  }
  await buildPgliteTemplate()
  const dirs: string[] = []
  const fresh = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'sage-bench-emb-'))
    dirs.push(dir)
    return join(dir, 'data')
  }
  try {
    for (const [label, templateDir] of [['template', undefined], ['no template', null]] as const) {
      const t0 = performance.now()
      const handle = await connectDatabase({ dataDir: fresh(), pgliteTemplateDir: templateDir, log: silentLogger() })
      await migrateToLatest(handle.db)
      add(`database ready on a fresh directory (${label})`, performance.now() - t0, 'ms')
      await handle.close()
    }

    const t0 = performance.now()
    const embedded = await startServiceProcess({ SAGE_DATA_DIR: fresh() }, { timeoutMs: 120_000 })
    try {
      while ((await fetch(`http://127.0.0.1:${embedded.port}/health`).catch(() => null))?.status !== 200) await Bun.sleep(20)
      add('spawn → /health 200, fresh directory (template)', performance.now() - t0, 'ms')
      add(`embedded: whole sessions/s (${total}, ${sizes.inFlight} in flight)`, await sessionsPerSecond(`http://127.0.0.1:${embedded.port}`, total, sizes.inFlight), '/s')
      add(`embedded: peak RSS from a fresh directory through ${total} sessions`, peakRssMb(embedded.child.pid), 'MB')
    } finally {
      embedded.child.kill('SIGTERM')
      await embedded.child.exited
    }

    const backed = await startServiceProcess({ DATABASE_URL: env.databaseUrl, REDIS_URL: env.redisUrl, REDIS_PREFIX: `${env.prefix}emb:` }, { timeoutMs: 120_000 })
    try {
      add(`PostgreSQL-backed: whole sessions/s (${total}, ${sizes.inFlight} in flight)`, await sessionsPerSecond(`http://127.0.0.1:${backed.port}`, total, sizes.inFlight), '/s')
      add(`PostgreSQL-backed: peak RSS through ${total} sessions`, peakRssMb(backed.child.pid), 'MB')
    } finally {
      backed.child.kill('SIGTERM')
      await backed.child.exited
    }
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  }
  return results
}
