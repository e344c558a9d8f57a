/**
 * The `/sessions` page (issue 21) over 10,000 sessions in the user's teams (two teams of 5,000,
 * inserted with one generate_series statement, not through the actors): the first page and a
 * deep page (the cursor 9,000 sessions in), rendered end to end through the app with
 * `app.handle()` (auth, the keyset query, the view), p50 and p99. Target: p99 ≤ 50 ms.
 */
import { sql } from 'kysely'
import type { DatabaseHandle } from '../src/db/index.ts'
import { encodeCursor } from '../src/sessions/index.ts'
import { benchApp } from './bench-app.ts'
import { type BenchResult, type BenchSizes, quantile } from './stats.ts'

const SESSIONS = 10_000

/** p50/p99 of the first and a deep `/sessions` page with 10,000 sessions in the user's two teams. */
export async function benchSessionList(database: DatabaseHandle, sizes: BenchSizes): Promise<BenchResult[]> {
  const { db } = database
  const { app, close } = benchApp(db, 'bench-list')
  try {
    const name = `list${Date.now().toString(36)}`
    const signup = await app.handle(
      new Request('http://localhost/api/auth/signup', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: name, email: `${name}@example.test`, password: 'correct horse battery' }),
      }),
    )
    if (signup.status !== 201) throw new Error(`signup failed: ${signup.status}`)
    const cookie = /sage_session=[^;]+/.exec(signup.headers.get('set-cookie') ?? '')?.[0] ?? ''
    const userId = ((await signup.json()) as { user: { id: number } }).user.id
    const teams: number[] = []
    for (const team of ['Bench A', 'Bench B']) {
      const row = await db.insertInto('teams').values({ name: team, owner_id: userId, is_shared: true }).returning('id').executeTakeFirstOrThrow()
      teams.push(Number(row.id))
    }
    await sql`
      insert into execution_sessions (team_id, user_id, feature_name, plan, status, started_at, ended_at, duration_seconds)
      select (array[${teams[0]}::bigint, ${teams[1]}::bigint])[g % 2 + 1], ${userId}::bigint, 'Feature ' || g,
             (array['dag','parallel','sequential'])[g % 3 + 1], (array['completed','completed','failed','cancelled'])[g % 4 + 1],
             now() - make_interval(secs => ${SESSIONS} - g), now(), 60
      from generate_series(1, ${SESSIONS}) as g`.execute(db)
    await sql`analyze execution_sessions`.execute(db)
    const ids = await db.selectFrom('execution_sessions').select('id').where('team_id', 'in', teams).orderBy('id', 'desc').offset(9000).limit(1).executeTakeFirstOrThrow()
    const deep = `/sessions?cursor=${encodeCursor(Number(ids.id))}`

    const samples = sizes.smoke ? 50 : 500
    const warmup = sizes.smoke ? 10 : 50
    const time = async (path: string): Promise<number[]> => {
      const out: number[] = []
      for (let i = 0; i < warmup + samples; i++) {
        const t0 = performance.now()
        const res = await app.handle(new Request(`http://localhost${path}`, { headers: { cookie } }))
        const body = await res.text()
        const ms = performance.now() - t0
        if (res.status !== 200 || !body.includes('session-link')) throw new Error(`${path}: ${res.status}`)
        if (i >= warmup) out.push(ms)
      }
      return out
    }
    const results: BenchResult[] = []
    for (const [label, path] of [
      ['first page', '/sessions'],
      ['deep page (9,000 in)', deep],
      ['filtered: team + failed', `/sessions?team=${teams[0]}&status=failed`],
    ] as const) {
      const ms = await time(path)
      const bench = `/sessions page, 10,000 sessions · ${label}`
      results.push({ benchmark: bench, metric: 'p50', subject: 'sage', value: quantile(ms, 0.5), unit: 'ms' })
      results.push({ benchmark: bench, metric: 'p99', subject: 'sage', value: quantile(ms, 0.99), unit: 'ms' })
    }
    return results
  } finally {
    await close()
  }
}
