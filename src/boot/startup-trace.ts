import type { Logger } from '../log/index.ts'

/**
 * Durations of the start-up steps, logged once at debug level ("start-up steps") so a slow
 * start can be read from the log: `step(name)` closes the step running since the last mark.
 * `process_ms` is the time from the process's start to the first mark (loading the modules).
 */
export interface StartupTrace {
  step(name: string): void
  done(log: Logger): void
}

export function startupTrace(): StartupTrace {
  const startedAt = performance.now()
  let last = startedAt
  const steps: Record<string, number> = { modules: Math.round(startedAt) }
  return {
    step(name) {
      const now = performance.now()
      steps[name] = Math.round(now - last)
      last = now
    },
    done(log) {
      log.debug('start-up steps', { ...steps, total_ms: Math.round(performance.now()) })
    },
  }
}
