/** Jobs on the Worker pool: outcomes arrive as messages; crashes and hangs replace the Worker and reach the supervisor. */
import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { type JobProgress, partitionOf } from '../../src/actors/index.ts'
import { testServices } from '../support/services.ts'
import { Ping, StartJob } from './fixtures/behaviours.ts'
import { effects, openTestDatabase, randomKey, startTestNode, type TestDatabase, type TestNode, waitFor } from './support/harness.ts'

describe('Worker-pool jobs', () => {
  let database: TestDatabase
  let node: TestNode
  const progress: JobProgress[] = []

  beforeAll(async () => {
    database = await openTestDatabase(testServices().postgresUrl ? 'postgres' : 'pglite')
    node = await startTestNode({
      db: database.handle,
      nodeId: `jobs-${randomKey()}`,
      redisPrefix: null,
      workers: 2,
      onJobProgress: (p) => progress.push(p),
    })
    await waitFor('partitions owned', () => node.node.owned().length === 8)
  }, 60_000)

  afterAll(async () => {
    await node?.stop()
    await database?.close()
  }, 30_000)

  const spawnSupervised = async (key: string): Promise<{ actor: string; supervisor: string }> => {
    const actor = `rec/${key}/agent`
    const supervisor = `rec/${key}/session`
    await database.handle.db.transaction().execute((trx) => node.node.client.spawnIn(trx, actor, { supervisor }))
    return { actor, supervisor }
  }

  const outcome = async (actor: string, kind: 'job-completed' | 'job-failed'): Promise<Record<string, unknown>> => {
    const row = await waitFor(kind, async () => (await effects(database.handle, actor, kind))[0], 15_000)
    return JSON.parse(row.data as string)
  }

  it('delivers a job’s output to the actor as JobCompleted', async () => {
    const actor = `rec/${randomKey()}/agent`
    await node.node.client.tell(actor, StartJob({ kind: 'test.echo', input: { text: 'hello' }, deadline_ms: 5000 }))
    const done = await outcome(actor, 'job-completed')
    expect(done).toMatchObject({ kind: 'test.echo', output: { text: 'hello' } })
    const submitted = await effects(database.handle, actor, 'job-submitted')
    expect(JSON.parse(submitted[0]?.data as string).job_id).toBe(done.job_id as string)
  })

  it('sends the outcome to another partition’s actor when the job names it as reply_to', async () => {
    const key = randomKey()
    const actor = `rec/${key}/agent`
    let other = ''
    for (let i = 0; other === ''; i++) {
      const candidate = `rec/${key}-${i}/listener`
      if (partitionOf(candidate, 8) !== partitionOf(actor, 8)) other = candidate
    }
    await node.node.client.tell(actor, StartJob({ kind: 'test.echo', input: { text: 'over there' }, deadline_ms: 5000, reply_to: other }))
    expect(await outcome(other, 'job-completed')).toMatchObject({ kind: 'test.echo', output: { text: 'over there' } })
    expect(await effects(database.handle, actor, 'job-completed')).toHaveLength(0)
  })

  it('runs a job submitted under a chosen id once, however often it is submitted while recorded', async () => {
    const actor = `rec/${randomKey()}/agent`
    const id = `chosen-${randomKey()}`
    // Twice in one commit, then again while the first still runs.
    await node.node.client.tell(actor, StartJob({ kind: 'test.sleep', input: { ms: 700 }, deadline_ms: 5000, id, times: 2 }))
    await waitFor('submitted', async () => (await effects(database.handle, actor, 'job-submitted')).length === 2)
    await node.node.client.tell(actor, StartJob({ kind: 'test.sleep', input: { ms: 700 }, deadline_ms: 5000, id }))
    await waitFor('submitted again', async () => (await effects(database.handle, actor, 'job-submitted')).length === 3)
    const done = await outcome(actor, 'job-completed')
    expect(done).toMatchObject({ job_id: id, kind: 'test.sleep' })
    const submitted = await effects(database.handle, actor, 'job-submitted')
    expect(submitted.map((r) => JSON.parse(r.data as string).job_id)).toEqual([id, id, id])
    await Bun.sleep(1000) // a second run would have finished by now
    expect(await effects(database.handle, actor, 'job-completed')).toHaveLength(1)
    // Once finished, the id may run again: the caller's records say whether it should.
    await node.node.client.tell(actor, StartJob({ kind: 'test.echo', input: { text: 'again' }, deadline_ms: 5000, id }))
    await waitFor('second run', async () => (await effects(database.handle, actor, 'job-completed')).length === 2, 15_000)
  })

  it('runs nothing for a job cancelled by the handler that submitted it', async () => {
    const actor = `rec/${randomKey()}/agent`
    // A running progress job reports to the node's hook: the cancelled one must report nothing.
    await node.node.client.tell(actor, StartJob({ kind: 'test.progress', input: { steps: 1 }, deadline_ms: 5000, cancel: true }))
    await waitFor('submitted', async () => (await effects(database.handle, actor, 'job-submitted')).length === 1)
    // Then a job that does run, on the same Worker: once its outcome is in, the first one would have run.
    await node.node.client.tell(actor, StartJob({ kind: 'test.echo', input: { text: 'after' }, deadline_ms: 5000 }))
    expect(await outcome(actor, 'job-completed')).toMatchObject({ output: { text: 'after' } })
    await Bun.sleep(200)
    expect(progress.filter((p) => p.actor === actor)).toEqual([])
    expect(await effects(database.handle, actor, 'job-completed')).toHaveLength(1)
    expect(await database.handle.db.selectFrom('actor_jobs').select('id').where('actor', '=', actor).execute()).toEqual([])
  })

  it('records and runs a job submitted on a condition only when the condition holds at commit', async () => {
    const actor = `rec/${randomKey()}/agent`
    await node.node.client.tell(actor, StartJob({ kind: 'test.progress', input: { steps: 1 }, deadline_ms: 5000, only_if: false }))
    await waitFor('submitted', async () => (await effects(database.handle, actor, 'job-submitted')).length === 1)
    await node.node.client.tell(actor, StartJob({ kind: 'test.echo', input: { text: 'holds' }, deadline_ms: 5000, only_if: true }))
    expect(await outcome(actor, 'job-completed')).toMatchObject({ output: { text: 'holds' } })
    await Bun.sleep(200)
    expect(progress.filter((p) => p.actor === actor)).toEqual([])
    expect(await effects(database.handle, actor, 'job-completed')).toHaveLength(1)
  })

  it('reports a job that throws as JobFailed with reason error', async () => {
    const actor = `rec/${randomKey()}/agent`
    await node.node.client.tell(actor, StartJob({ kind: 'test.fail', input: {}, deadline_ms: 5000 }))
    expect(await outcome(actor, 'job-failed')).toMatchObject({ reason: 'error', error: 'job failed on purpose' })
  })

  it('aborts a job at its deadline and reports timeout', async () => {
    const actor = `rec/${randomKey()}/agent`
    await node.node.client.tell(actor, StartJob({ kind: 'test.sleep', input: { ms: 10_000 }, deadline_ms: 200 }))
    expect(await outcome(actor, 'job-failed')).toMatchObject({ reason: 'timeout', kind: 'test.sleep' })
  })

  it('keeps the actor’s mailbox moving while its job runs', async () => {
    const actor = `rec/${randomKey()}/agent`
    await node.node.client.tell(actor, StartJob({ kind: 'test.sleep', input: { ms: 1500 }, deadline_ms: 5000 }))
    const reply = await node.node.client.ask(actor, Ping({ n: 1 }), { timeoutMs: 1000 })
    expect(reply.payload).toEqual({ n: 1 })
    expect(await effects(database.handle, actor, 'job-completed')).toHaveLength(0)
    expect(await outcome(actor, 'job-completed')).toMatchObject({ output: { slept: 1500 } })
  })

  it('replaces a crashed Worker and tells the actor and its supervisor', async () => {
    const { actor, supervisor } = await spawnSupervised(randomKey())
    await node.node.client.tell(actor, StartJob({ kind: 'test.crash', input: {}, deadline_ms: 10_000 }))
    expect(await outcome(actor, 'job-failed')).toMatchObject({ reason: 'crashed' })
    const told = await waitFor('supervisor told', async () => (await effects(database.handle, supervisor, 'child-failed'))[0])
    expect(JSON.parse(told.data as string)).toMatchObject({ address: actor, reason: 'worker-crashed' })
    expect(await node.node.metrics.render()).toMatch(/sage_worker_restarts\{worker="\d"\} 1/)
    // The replacement Worker runs the actor's next job.
    await node.node.client.tell(actor, StartJob({ kind: 'test.echo', input: { text: 'again' }, deadline_ms: 5000 }))
    expect(await outcome(actor, 'job-completed')).toMatchObject({ output: { text: 'again' } })
  }, 20_000)

  it('replaces a Worker that hangs past a deadline and reports the job hung', async () => {
    const { actor, supervisor } = await spawnSupervised(randomKey())
    await node.node.client.tell(actor, StartJob({ kind: 'test.hang', input: {}, deadline_ms: 200 }))
    expect(await outcome(actor, 'job-failed')).toMatchObject({ reason: 'hung' })
    const told = await waitFor('supervisor told', async () => (await effects(database.handle, supervisor, 'child-failed'))[0])
    expect(JSON.parse(told.data as string)).toMatchObject({ address: actor, reason: 'worker-hung' })
    await node.node.client.tell(actor, StartJob({ kind: 'test.echo', input: { text: 'alive' }, deadline_ms: 5000 }))
    expect(await outcome(actor, 'job-completed')).toMatchObject({ output: { text: 'alive' } })
  }, 20_000)

  it('passes job progress to the node’s hook', async () => {
    const actor = `rec/${randomKey()}/agent`
    await node.node.client.tell(actor, StartJob({ kind: 'test.progress', input: { steps: 3 }, deadline_ms: 5000 }))
    await outcome(actor, 'job-completed')
    expect(progress.filter((p) => p.actor === actor).map((p) => p.data)).toEqual([{ step: 1 }, { step: 2 }, { step: 3 }])
  })

  it('reports an unknown job kind as failed', async () => {
    const actor = `rec/${randomKey()}/agent`
    // A kind the behaviour knows but this Worker entry does not serve.
    await node.node.client.tell(actor, StartJob({ kind: 'test.unserved', input: {}, deadline_ms: 5000 }))
    expect(await outcome(actor, 'job-failed')).toMatchObject({ reason: 'unknown-kind', error: 'no job handler for kind "test.unserved"' })
  })
})
