import { type Service, startService } from './boot/index.ts'
import { parseConfig } from './config/index.ts'
import { createLogger } from './log/index.ts'

// The only place that reads process.env.
const parsed = parseConfig(process.env)
if (!parsed.ok) {
  for (const line of parsed.errors) console.error(`sage-mode: invalid configuration: ${line}`)
  process.exit(2)
}
const config = parsed.config
const log = createLogger(config.LOG_LEVEL, { node_id: config.NODE_ID })

// Handlers go in before start-up so a signal that arrives mid-start still stops cleanly.
let starting: Promise<Service> | null = null
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.info('shutting down', { signal })
    if (!starting) process.exit(0)
    starting
      .then((service) => service.stop())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          log.error('shutdown failed', { error })
          process.exit(1)
        },
      )
  })
}

starting = startService(config, log)
try {
  const service = await starting
  if (config.SAGE_ROLE !== 'node') {
    // One line a person can follow from the terminal: the address to open.
    const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST
    log.info(`open ${config.APP_ORIGIN ?? `http://${host}:${service.port}`}/`)
  }
} catch (error) {
  console.error(`sage-mode: could not start: ${error instanceof Error ? error.message : String(error)}`)
  log.debug('start-up failure', { error })
  process.exit(1)
}
