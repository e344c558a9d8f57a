import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { sql } from 'kysely'
import { PageClient } from '../pages/page-client.ts'
import { signUp, startTestApp, type TestApp } from '../support/http.ts'

setDefaultTimeout(60_000)

describe('/decisions with more hits than one page', () => {
  let t: TestApp
  let client: PageClient

  beforeAll(async () => {
    t = await startTestApp()
    const api = await signUp(t.app)
    client = new PageClient(t.app, api)
    const userId = api.user?.id ?? 0
    const team = await t.deps.db.insertInto('teams').values({ name: 'Journal', owner_id: userId, is_shared: false }).returning('id').executeTakeFirstOrThrow()
    const session = await t.deps.db
      .insertInto('execution_sessions')
      .values({ team_id: team.id, user_id: userId, feature_name: 'Many decisions', status: 'completed', started_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow()
    await sql`insert into session_decisions (session_id, decision_text, category, confidence)
              select ${session.id}::bigint, 'Decision number ' || g, 'architecture', 'high' from generate_series(1, 130) as g`.execute(t.deps.db)
  })

  afterAll(async () => {
    await t?.close()
  })

  it('says a capped result is capped and pages on with a cursor that keeps the search', async () => {
    const first = await client.get('/decisions?category=architecture')
    expect(first.status).toBe(200)
    expect(first.html).toContain('Decisions 1–100, more on the next page')
    expect(first.html).not.toContain('>100 decisions<')
    const next = /href="(\/decisions\?category=architecture(?:&amp;|&)cursor=[^"]+)"/.exec(first.html)?.[1]?.replaceAll('&amp;', '&')
    expect(next).toBeDefined()
    const second = await client.get(next ?? '')
    expect(second.html).toContain('Decisions 101–130')
    expect(second.html).not.toContain('more on the next page')
    expect(second.html.match(/class="result-item"/g)).toHaveLength(30)
  })

  it('keeps saying "N decisions" for a result that fits on one page', async () => {
    const res = await client.get('/decisions?q=nonexistentword')
    expect(res.html).toContain('0 decisions')
  })
})
