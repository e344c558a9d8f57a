// The Worker that owns the embedded default's PGlite, so its WASM PostgreSQL runs off the
// process's main thread (HTTP, actors and event streams stay responsive while it works).
// pglite-thread.ts is the other end. Messages are handled one at a time, in arrival order.
import { existsSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { PGlite, type Transaction } from '@electric-sql/pglite'
import type { PGliteQueryResults } from 'kysely'
import { seedFromTemplate } from './pglite-template.ts'
import type { PgliteOpened, PgliteReply, PgliteRequest, SerializedError } from './pglite-thread.ts'

declare const self: Worker

// Compiling PostgreSQL's WASM starts with the Worker, so it overlaps the copy of the template
// (and, on a start, the main thread's loading of the app). Undefined when the package's layout
// is not the expected one: PGlite then compiles it itself.
const distDir = dirname(Bun.resolveSync('@electric-sql/pglite', import.meta.dir))
const wasmModule: Promise<WebAssembly.Module | undefined> = Bun.file(join(distDir, 'pglite.wasm'))
  .arrayBuffer()
  .then((bytes) => WebAssembly.compile(bytes))
  .catch(() => undefined)
const fsBundle = existsSync(join(distDir, 'pglite.data')) ? Bun.file(join(distDir, 'pglite.data')) : undefined

let pglite: PGlite | null = null
/** The open transaction, if any: every query runs inside it until commit or rollback (as Kysely's PGlite driver does). */
let open: { tx: Transaction; end: (commit: boolean) => void; done: Promise<void> } | null = null

function serialize(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { message: String(error) }
  const fields: SerializedError = { message: error.message }
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string' || typeof value === 'number') fields[key] = value
  }
  return fields
}

function database(): PGlite {
  if (!pglite) throw new Error('PGlite is not open')
  return pglite
}

/** Seeds a missing data directory from the template (when given), then opens PGlite on it. */
async function openDatabase(dataDir: string | undefined, templateDir: string | null): Promise<PgliteOpened> {
  const startedAt = performance.now()
  const notes: PgliteOpened['notes'] = []
  let source: PgliteOpened['source'] = 'memory'
  if (dataDir) {
    const note = (level: 'info' | 'warn') => (msg: string, fields: Record<string, unknown> = {}) => notes.push({ level, msg, fields })
    source = existsSync(dataDir) ? 'existing' : templateDir ? seedFromTemplate(templateDir, dataDir, { info: note('info'), warn: note('warn') }) : 'none'
    mkdirSync(dataDir, { recursive: true })
  }
  const seededAt = performance.now()
  const pgliteWasmModule = await wasmModule
  pglite = await PGlite.create(dataDir, pgliteWasmModule ? { pgliteWasmModule, ...(fsBundle ? { fsBundle } : {}) } : {})
  return { source, copyMs: Math.round(seededAt - startedAt), openMs: Math.round(performance.now() - seededAt), notes }
}

async function begin(): Promise<void> {
  if (open) throw new Error('a transaction is already open')
  const { promise: begun, resolve: onBegin } = Promise.withResolvers<void>()
  const { promise: ended, resolve: end } = Promise.withResolvers<boolean>()
  const done = database()
    .transaction(async (tx) => {
      open = { tx, end, done }
      onBegin()
      // Rejecting makes PGlite roll back; resolving commits.
      if (!(await ended)) throw new RolledBack()
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) throw error
    })
  // A failure to begin must answer too.
  await Promise.race([begun, done])
}

class RolledBack extends Error {}

async function finish(commit: boolean): Promise<void> {
  const current = open
  if (!current) throw new Error('no transaction is open')
  current.end(commit)
  try {
    await current.done
  } finally {
    open = null
  }
}

async function handle(request: PgliteRequest): Promise<PGliteQueryResults<unknown> | PgliteOpened | null> {
  switch (request.op) {
    case 'open':
      return openDatabase(request.dataDir, request.templateDir)
    case 'query': {
      const { rows, affectedRows, fields } = await (open?.tx ?? database()).query(request.sql, request.params as unknown[], { rowMode: 'object' })
      return { rows, affectedRows, fields }
    }
    case 'begin':
      await begin()
      return null
    case 'commit':
      await finish(true)
      return null
    case 'rollback':
      await finish(false)
      return null
    case 'close':
      if (open) await finish(false).catch(() => {})
      await pglite?.close()
      pglite = null
      return null
  }
}

let queue: Promise<void> = Promise.resolve()
self.onmessage = (event: MessageEvent<PgliteRequest>) => {
  const request = event.data
  queue = queue.then(async () => {
    let reply: PgliteReply
    try {
      reply = { id: request.id, result: await handle(request) }
    } catch (error) {
      reply = { id: request.id, error: serialize(error) }
    }
    self.postMessage(reply)
  })
}
