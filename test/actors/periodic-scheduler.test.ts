import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { type PeriodicSchedule, startPeriodicScheduler } from '../../src/actors/cluster/index.ts'
import { silentLogger } from '../../src/log/index.ts'
import { testServices } from '../support/services.ts'
import { openTestDatabase, randomKey, type TestDatabase } from './support/harness.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

describe('periodic scheduler', () => {
  let database: TestDatabase

  beforeAll(async () => {
    database = await openTestDatabase(testServices().postgresUrl ? 'postgres' : 'pglite')
  })

  afterAll(async () => {
    await database?.close()
  })

  it('keeps running the other schedules while one run is slow, and never overlaps a schedule with itself', async () => {
    const key = randomKey()
    const fast: number[] = []
    const slow: Array<{ start: number; end: number }> = []
    const schedules: PeriodicSchedule[] = [
      {
        name: `test.slow-${key}`,
        everyMs: 200,
        async run({ signal }) {
          const start = Date.now()
          // Like a vacuum of a large table: far longer than its period.
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 1500)
            signal.addEventListener('abort', () => {
              clearTimeout(timer)
              resolve()
            })
          })
          slow.push({ start, end: Date.now() })
        },
      },
      {
        name: `test.fast-${key}`,
        everyMs: 200,
        async run() {
          fast.push(Date.now())
        },
      },
    ]
    const scheduler = await startPeriodicScheduler({ db: database.handle.db, log: silentLogger(), nodeId: `n-${key}`, schedules, checkEveryMs: 50 })
    const t0 = Date.now()
    await Bun.sleep(2000)
    await scheduler.stop()
    // The fast schedule kept its period while the slow one ran (1.5 s from the start).
    expect(fast.filter((at) => at - t0 < 1400).length).toBeGreaterThanOrEqual(4)
    // The slow one ran at most twice (the second cut short by stop), one run after the other.
    expect(slow.length).toBeGreaterThanOrEqual(1)
    expect(slow.length).toBeLessThanOrEqual(2)
    for (let i = 1; i < slow.length; i++) expect((slow[i] as { start: number }).start).toBeGreaterThanOrEqual((slow[i - 1] as { end: number }).end)
  })
})
