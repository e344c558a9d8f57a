import type { Writable } from 'node:stream'

/** What a command reads and writes: the environment and the three standard streams (passed in, so tests need no globals). */
export interface CliIo {
  env: Record<string, string | undefined>
  stdout: Writable & { isTTY?: boolean; columns?: number }
  stderr: Writable
  stdin: NodeJS.ReadableStream & { isTTY?: boolean }
  /** Registers a Ctrl-C handler; returns its removal. */
  onInterrupt(handler: () => void): () => void
}

/** The process's own streams and environment. */
export function processIo(): CliIo {
  return {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    onInterrupt(handler) {
      process.on('SIGINT', handler)
      return () => process.off('SIGINT', handler)
    },
  }
}

/** Writes `line` and a newline to stdout. */
export function println(io: CliIo, line = ''): void {
  io.stdout.write(`${line}\n`)
}

/** Writes `sage: <line>` to stderr. */
export function warn(io: CliIo, line: string): void {
  io.stderr.write(`sage: ${line}\n`)
}
