/**
 * The design document's render cost beside the live session page's: for a completed 7-role session
 * (the simulated provider's outputs), the time to read the rows and render the session page, the
 * document page and the Markdown export, p50 and p99 over the samples (same loop, same database).
 */
import type { DatabaseHandle } from '../src/db/index.ts'
import { designDocumentData } from '../src/http/pages/document-data.ts'
import { loadSessionPage } from '../src/http/pages/session-data.ts'
import { teamView } from '../src/http/pages/view-data.ts'
import { loadDesignDocument } from '../src/sessions/index.ts'
import { getTeam } from '../src/teams/index.ts'
import { DesignDocumentPage, designDocumentMarkdown, SessionPage } from '../src/views/index.ts'
import { seedCompletedSession } from '../test/document/completed-session.ts'
import { type BenchResult, type BenchSizes, quantile } from './stats.ts'

const ctx = { user: { id: 1, username: 'bench', email: 'bench@example.com', created_at: '2026-01-01T00:00:00.000Z' }, csrf_token: 'x', path: '/' }

async function timed(samples: number, warmup: number, run: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < warmup + samples; i++) {
    const t0 = performance.now()
    await run()
    if (i >= warmup) out.push(performance.now() - t0)
  }
  return out
}

/** p50/p99 (ms) of the session page, the design document page and its Markdown export. */
export async function benchDocument(opts: { database: DatabaseHandle }, sizes: BenchSizes): Promise<BenchResult[]> {
  const { db } = opts.database
  const user = await db
    .insertInto('users')
    .values({ username: `bench_doc_${Date.now().toString(36)}`, email: `doc-${Date.now()}@bench.invalid`, password_hash: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const team = await db.insertInto('teams').values({ name: 'Bench document team', owner_id: user.id }).returning('id').executeTakeFirstOrThrow()
  await db.insertInto('team_memberships').values({ team_id: team.id, user_id: user.id, role: 'owner' }).execute()
  const sessionId = await seedCompletedSession(db, {
    teamId: team.id,
    userId: user.id,
    featureName: 'Password reset by email with an audit trail',
    description: 'Users who forgot their password get a one-time link by email; support sees who reset what.',
    memberDecision: { text: 'Links expire after 30 minutes', category: 'security', confidence: 'high' },
  })
  const samples = sizes.smoke ? 50 : 500
  const warmup = sizes.smoke ? 10 : 50
  const teamRow = await getTeam(db, team.id, 'owner')
  if (!teamRow) throw new Error('bench: team not found')
  const sessionPage = await timed(samples, warmup, async () => {
    const data = await loadSessionPage(db, user.id, sessionId)
    const html = await (
      <SessionPage ctx={ctx} team={teamView(teamRow)} session={data.session} plan={data.plan} tasks={data.tasks} decisions={data.decisions} now={new Date().toISOString()} />
    )
    if (html.length < 1000) throw new Error('bench: session page too short')
  })
  const documentPage = await timed(samples, warmup, async () => {
    const rows = await loadDesignDocument(db, sessionId)
    if (!rows) throw new Error('bench: session not found')
    const html = await (<DesignDocumentPage ctx={ctx} doc={designDocumentData(rows)} />)
    if (!html.includes('class="flowchart"')) throw new Error('bench: document without its diagram')
  })
  const markdown = await timed(samples, warmup, async () => {
    const rows = await loadDesignDocument(db, sessionId)
    if (!rows) throw new Error('bench: session not found')
    if (!designDocumentMarkdown(designDocumentData(rows)).includes('```mermaid')) throw new Error('bench: export without its diagram')
  })
  const figures: [string, number[]][] = [
    ['session page (read + render)', sessionPage],
    ['document page (read + render)', documentPage],
    ['Markdown export (read + render)', markdown],
  ]
  return figures.flatMap(([name, xs]) => [
    { benchmark: 'document', metric: `${name} p50`, subject: 'sage' as const, value: quantile(xs, 0.5), unit: 'ms' },
    { benchmark: 'document', metric: `${name} p99`, subject: 'sage' as const, value: quantile(xs, 0.99), unit: 'ms' },
  ])
}
