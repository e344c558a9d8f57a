import { join } from 'node:path'
import type { Subprocess } from 'bun'

/** The repository root, where `bun src/main.ts` runs. */
export const REPO_ROOT = join(import.meta.dir, '../..')

/** Environment for a child service: `extra` on a minimal base, nothing inherited that could point elsewhere. */
export function serviceEnv(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TZ: 'UTC', PORT: '0', LOG_LEVEL: 'info', ...extra }
}

/** A started `bun src/main.ts`: its process, port and the log lines it has written so far (kept up to date). */
export interface ServiceProcess {
  child: Subprocess<'ignore', 'pipe', 'pipe' | 'inherit'>
  port: number
  lines: string[]
}

export interface StartServiceOptions {
  /** Extra bun flags before the entry (for example `--cpu-prof`). */
  flags?: string[]
  /** `inherit` shows the service's errors in this process's output. Default `pipe` (read on a failed start). */
  stderr?: 'pipe' | 'inherit'
  timeoutMs?: number
}

/**
 * Starts `bun src/main.ts` with `serviceEnv(env)` and resolves once it logs that it started.
 * Its stdout keeps being drained into `lines`, so the child never blocks on a full pipe.
 * @example
 * const { child, port } = await startServiceProcess({ SAGE_ROLE: 'web', DATABASE_URL: url })
 */
export async function startServiceProcess(env: Record<string, string>, options: StartServiceOptions = {}): Promise<ServiceProcess> {
  const child = Bun.spawn(['bun', ...(options.flags ?? []), 'src/main.ts'], {
    cwd: REPO_ROOT,
    env: serviceEnv(env),
    stdout: 'pipe',
    stderr: options.stderr ?? 'pipe',
  })
  const lines: string[] = []
  const reader = child.stdout.getReader()
  const decoder = new TextDecoder()
  let partial = ''
  const take = (chunk: Uint8Array): void => {
    const parts = (partial + decoder.decode(chunk, { stream: true })).split('\n')
    partial = parts.pop() ?? ''
    lines.push(...parts.filter(Boolean))
  }
  const deadline = Date.now() + (options.timeoutMs ?? 30_000)
  while (Date.now() < deadline) {
    const { value, done } = await reader.read()
    if (done) break
    take(value)
    const started = lines.find((line) => line.includes('"msg":"sage mode started"'))
    if (started) {
      void (async () => {
        for (;;) {
          const next = await reader.read()
          if (next.done) return
          take(next.value)
        }
      })()
      return { child, port: (JSON.parse(started) as { port: number }).port, lines }
    }
  }
  child.kill('SIGKILL')
  const stderr = child.stderr instanceof ReadableStream ? await new Response(child.stderr).text() : ''
  throw new Error(`the service did not start: ${lines.join('\n')}${partial}${stderr}`)
}
