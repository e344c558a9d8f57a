import type { PGlite as KyselyPGlite, PGliteQueryResults, PGliteTransaction } from 'kysely'

/** A request to the PGlite Worker (pglite-thread.worker.ts). */
export type PgliteRequest =
  | { id: number; op: 'open'; dataDir: string | undefined; templateDir: string | null }
  | { id: number; op: 'query'; sql: string; params: unknown[] }
  | { id: number; op: 'begin' | 'commit' | 'rollback' | 'close' }

/** An error as it crosses the thread: its message and its string or number fields (`code`, `detail`, `constraint`…). */
export type SerializedError = { message: string } & Record<string, string | number>

/** How the Worker opened the database: where its files came from, how long the copy and the open took, what seeding said. */
export interface PgliteOpened {
  source: 'existing' | 'template' | 'stale' | 'none' | 'memory'
  copyMs: number
  openMs: number
  notes: Array<{ level: 'info' | 'warn'; msg: string; fields: Record<string, unknown> }>
}

/** The Worker's answer to the request with the same id. */
export type PgliteReply =
  | { id: number; result: PGliteQueryResults<unknown> | PgliteOpened | null; error?: undefined }
  | { id: number; result?: undefined; error: SerializedError }

type Distribute<T> = T extends unknown ? Omit<T, 'id'> : never

const ENTRY = new URL('./pglite-thread.worker.ts', import.meta.url)

/**
 * PGlite in a Worker of its own, behind the small interface Kysely's PGliteDialect uses
 * (`query`, `transaction`, `close`, `ready`). Kysely already runs one query or one transaction
 * at a time on it (one connection, behind its mutex); the Worker handles requests in order and
 * runs every query inside the open transaction, so a transaction stays atomic and isolated.
 * PGlite's own PGliteWorker needs `navigator.locks` (leader election between browser tabs),
 * which Bun lacks, hence this.
 *
 * `dataDir` missing is filled from `templateDir` first (see pglite-template.ts), in the Worker,
 * while it compiles PostgreSQL's WASM.
 */
export async function openPgliteThread(dataDir: string | undefined, templateDir: string | null = null): Promise<{ pglite: KyselyPGlite; opened: PgliteOpened }> {
  const worker = new Worker(ENTRY)
  type Result = PGliteQueryResults<unknown> | PgliteOpened | null
  const pending = new Map<number, { resolve: (value: Result) => void; reject: (error: Error) => void }>()
  let nextId = 1
  let closed = false
  let failure: Error | null = null

  const fail = (error: Error): void => {
    failure = error
    closed = true
    for (const { reject } of pending.values()) reject(error)
    pending.clear()
  }
  worker.onmessage = (event: MessageEvent<PgliteReply>) => {
    const reply = event.data
    const waiter = pending.get(reply.id)
    if (!waiter) return
    pending.delete(reply.id)
    if (reply.error) waiter.reject(Object.assign(new Error(reply.error.message), reply.error))
    else waiter.resolve(reply.result ?? null)
  }
  worker.addEventListener('error', (event) => fail(new Error(`the PGlite worker failed: ${event.message}`)))
  worker.addEventListener('close', () => fail(failure ?? new Error('the PGlite worker exited')))

  const call = (request: Distribute<PgliteRequest>): Promise<Result> => {
    if (failure) return Promise.reject(failure)
    const id = nextId++
    const { promise, resolve, reject } = Promise.withResolvers<Result>()
    pending.set(id, { resolve, reject })
    worker.postMessage({ ...request, id })
    return promise
  }
  const query = async <T>(sql: string, params: unknown[] = []): Promise<PGliteQueryResults<T>> =>
    (await call({ op: 'query', sql, params })) as PGliteQueryResults<T>

  let opened: PgliteOpened
  try {
    opened = (await call({ op: 'open', dataDir, templateDir })) as PgliteOpened
  } catch (error) {
    worker.terminate()
    throw error
  }

  const pglite: KyselyPGlite = {
    get closed() {
      return closed
    },
    ready: true,
    waitReady: Promise.resolve(),
    query,
    async transaction<T>(callback: (tx: PGliteTransaction) => Promise<T>): Promise<T> {
      await call({ op: 'begin' })
      let ended = false
      const rollback = async (): Promise<void> => {
        if (ended) return
        ended = true
        await call({ op: 'rollback' })
      }
      try {
        const result = await callback({ query, rollback })
        if (!ended) {
          ended = true
          await call({ op: 'commit' })
        }
        return result
      } catch (error) {
        await rollback().catch(() => {})
        throw error
      }
    },
    async close() {
      if (closed) return
      try {
        await call({ op: 'close' })
      } finally {
        closed = true
        worker.terminate()
      }
    },
  }
  return { pglite, opened }
}
