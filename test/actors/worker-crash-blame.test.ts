/**
 * The Worker pool blames a lost Worker on the job that caused it: jobs that merely shared the
 * Worker run again and end as they would have, without a `crashed` or `hung` outcome.
 */
import { afterEach, describe, expect, it } from 'bun:test'
import { createWorkerPool, type JobOutcome, type JobRow, type WorkerPool } from '../../src/actors/index.ts'
import { silentLogger } from '../../src/log/index.ts'

const entry = new URL('./fixtures/test-jobs.worker.ts', import.meta.url)

function job(id: string, kind: string, input: unknown, deadlineMs = 10_000): JobRow {
  return { id, partition: 0, actor: `rec/${id}/agent`, replyTo: `rec/${id}/agent`, kind, input: JSON.stringify(input), deadlineMs, attempts: 0 }
}

/** Runs the jobs on the pool, in order; resolves with every job's outcomes (each must come once). */
async function runAll(pool: WorkerPool, jobs: JobRow[]): Promise<Map<string, JobOutcome[]>> {
  const outcomes = new Map<string, JobOutcome[]>(jobs.map((j) => [j.id, []]))
  await new Promise<void>((resolve) => {
    let left = jobs.length
    for (const j of jobs) {
      pool.run(j, (o) => {
        outcomes.get(j.id)?.push(o)
        if (--left === 0) resolve()
      })
    }
  })
  await Bun.sleep(300) // a second outcome for any job would arrive by now
  return outcomes
}

const summary = (outcomes: Map<string, JobOutcome[]>): Record<string, string[]> =>
  Object.fromEntries([...outcomes].map(([id, os]) => [id, os.map((o) => (o.ok ? 'ok' : o.reason))]))

// With `reloadInput` (as a node runs it: inputs re-read from their rows) and without (inputs kept).
for (const reload of [true, false]) {
  describe(`a lost Worker is blamed on the job that caused it (${reload ? 'inputs re-read' : 'inputs kept'})`, () => {
    let pool: WorkerPool | null = null
    const recorded = new Map<string, string>()
    const start = async (size: number, hangGraceMs = 2000): Promise<WorkerPool> => {
      pool = createWorkerPool({
        size,
        entry,
        log: silentLogger(),
        hangGraceMs,
        ...(reload ? { reloadInput: async (id: string) => recorded.get(id) ?? null } : {}),
      })
      await pool.ready()
      return pool
    }
    const record = (jobs: JobRow[]): JobRow[] => {
      for (const j of jobs) recorded.set(j.id, j.input)
      return jobs
    }
    afterEach(async () => {
      await pool?.stop()
      pool = null
    })

    it('runs the jobs that shared a crashed Worker again; only the crasher is reported crashed', async () => {
      const p = await start(1)
      const jobs = record([job('s1', 'test.sleep', { ms: 400 }), job('s2', 'test.sleep', { ms: 300 }), job('e1', 'test.echo', { text: 'hi' }), job('c1', 'test.crash', {})])
      const outcomes = await runAll(p, jobs)
      expect(summary(outcomes)).toEqual({ s1: ['ok'], s2: ['ok'], e1: ['ok'], c1: ['crashed'] })
      expect(outcomes.get('s1')?.[0]).toMatchObject({ ok: true, output: { slept: 400 } })
      expect(p.states().reduce((n, s) => n + s.restarts, 0)).toBeGreaterThanOrEqual(1)
    }, 30_000)

    it('finds each of two crashers among the jobs of one Worker', async () => {
      const p = await start(1)
      const jobs = record([job('s1', 'test.sleep', { ms: 300 }), job('c1', 'test.crash', {}), job('s2', 'test.sleep', { ms: 200 }), job('c2', 'test.crash', {})])
      expect(summary(await runAll(p, jobs))).toEqual({ s1: ['ok'], c1: ['crashed'], s2: ['ok'], c2: ['crashed'] })
    }, 30_000)

    it('runs the next job of a crasher’s actor alone, and it can succeed', async () => {
      const p = await start(1)
      const crash = record([job('c1', 'test.crash', {})])
      expect(summary(await runAll(p, crash))).toEqual({ c1: ['crashed'] })
      // Same actor as c1: runs on the isolation Worker (index = size), beside a plain job on the pool.
      const next = { ...job('n1', 'test.sleep', { ms: 300 }), actor: 'rec/c1/agent' }
      const plain = job('p1', 'test.echo', { text: 'plain' })
      record([next, plain])
      expect(summary(await runAll(p, [next, plain]))).toEqual({ n1: ['ok'], p1: ['ok'] })
    }, 30_000)

    it('blames a hung Worker on the job past its deadline; the job beside it runs again', async () => {
      const p = await start(1, 300)
      const jobs = record([job('s1', 'test.sleep', { ms: 200 }), job('h1', 'test.hang', {}, 300)])
      expect(summary(await runAll(p, jobs))).toEqual({ s1: ['ok'], h1: ['hung'] })
    }, 30_000)
  })
}
