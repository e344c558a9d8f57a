// Only what comes before the database's Worker is imported here; the app loads (dynamic import
// below) while that Worker copies the template and opens PGlite.
import type { Service } from './boot/index.ts'
import { startupTrace } from './boot/startup-trace.ts'
import { parseConfig } from './config/index.ts'
import { startPgliteThread } from './db/pglite-start.ts'
import { PGLITE_TEMPLATE_DIR } from './db/pglite-template.ts'
import { createLogger } from './log/index.ts'

// The only place that reads process.env.
const parsed = parseConfig(process.env)
if (!parsed.ok) {
  for (const line of parsed.errors) console.error(`sage-mode: invalid configuration: ${line}`)
  process.exit(2)
}
const config = parsed.config
const log = createLogger(config.LOG_LEVEL, { node_id: config.NODE_ID })
const trace = startupTrace()
// The embedded default (no DATABASE_URL): its database starts opening now, in its Worker.
const pgliteStarting = config.DATABASE_URL ? undefined : startPgliteThread(config.SAGE_DATA_DIR, PGLITE_TEMPLATE_DIR)

// `bun run start|web|node` forwards a terminal's Ctrl-C or a process-group SIGTERM to this
// process, which got it from the group already: the same stop arrives twice within
// milliseconds. A repeat that close is the same request; a later one (a second Ctrl-C)
// forces the exit, and says so.
const REPEAT_WINDOW_MS = 1000

const startAbort = new AbortController()
let starting: Promise<Service> | null = null
let firstSignalAt: number | null = null

function stop(signal: NodeJS.Signals): void {
  log.info('shutting down', { signal })
  startAbort.abort(new Error(`${signal} during start-up`))
  if (!starting) {
    log.info('sage mode stopped')
    process.exit(0)
  }
  starting
    .then(
      (service) => service.stop(),
      () => log.info('sage mode stopped'), // start-up gave up on the signal and closed what it had opened
    )
    .then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('shutdown failed', { error })
        process.exit(1)
      },
    )
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  // Installed before start-up so a signal that arrives mid-start still stops cleanly.
  process.on(signal, () => {
    if (firstSignalAt === null) {
      firstSignalAt = Date.now()
      stop(signal)
    } else if (Date.now() - firstSignalAt < REPEAT_WINDOW_MS) {
      log.info('signal repeated while stopping; still stopping', { signal })
    } else {
      log.warn('second signal: exiting before the graceful stop finished', { signal })
      process.exit(130)
    }
  })
}

starting = import('./boot/index.ts').then(({ startService }) => {
  trace.step('app_modules')
  return startService(config, log, { signal: startAbort.signal, trace, pgliteStarting })
})
try {
  const service = await starting
  if (config.SAGE_ROLE !== 'node') {
    // One line a person can follow from the terminal: the address to open.
    const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST
    log.info(`open ${config.APP_ORIGIN ?? `http://${host}:${service.port}`}/`)
  }
} catch (error) {
  // A signal during start-up is handled by stop(); anything else is a failed start.
  if (!startAbort.signal.aborted) {
    console.error(`sage-mode: could not start: ${error instanceof Error ? error.message : String(error)}`)
    log.debug('start-up failure', { error })
    process.exit(1)
  }
}
