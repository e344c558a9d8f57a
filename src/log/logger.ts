import type { LogLevel } from '../config/index.ts'

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }

export type LogFields = Record<string, unknown>

/** A structured logger that writes one JSON object per line. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger
}

function serialize(value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, stack: value.stack, ...(value.cause ? { cause: serialize(value.cause) } : {}) }
  }
  return value
}

/** Creates a logger writing to `write` (stdout by default) at and above `level`. */
export function createLogger(
  level: LogLevel,
  base: LogFields = {},
  write: (line: string) => void = (line) => process.stdout.write(line),
): Logger {
  const min = ORDER[level]
  const emit = (lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: LogFields): void => {
    if (ORDER[lvl] < min) return
    const entry: LogFields = { t: new Date().toISOString(), level: lvl, msg, ...base }
    for (const [k, v] of Object.entries(fields ?? {})) entry[k] = serialize(v)
    write(`${JSON.stringify(entry)}\n`)
  }
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (fields) => createLogger(level, { ...base, ...fields }, write),
  }
}

/** A logger that drops everything; for tests and tools. */
export function silentLogger(): Logger {
  return createLogger('silent')
}
