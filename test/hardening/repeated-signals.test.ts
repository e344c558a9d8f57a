import { describe, expect, it, setDefaultTimeout } from 'bun:test'
import { REPO_ROOT, serviceEnv } from '../support/service-process.ts'
import { testServices } from '../support/services.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(180_000)

const { postgresUrl, redisUrl, redisPrefix } = testServices()

/** Starts `bun run node` in its own process group; resolves with it and its log lines once it has started. */
async function startThroughBunRun(): Promise<{ proc: Bun.Subprocess<'ignore', 'pipe', 'pipe'>; lines: string[]; done: Promise<void> }> {
  const proc = Bun.spawn(['bun', 'run', 'node'], {
    cwd: REPO_ROOT,
    env: serviceEnv({
      DATABASE_URL: postgresUrl as string,
      REDIS_URL: redisUrl as string,
      REDIS_PREFIX: `${redisPrefix}sig${Math.random().toString(36).slice(2, 6)}:`,
      SAGE_PARTITIONS: '4',
      SAGE_WORKERS: '1',
      SHUTDOWN_TIMEOUT_MS: '5000',
    }),
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    detached: true,
  })
  const lines: string[] = []
  const done = (async () => {
    const reader = proc.stdout.getReader()
    const decoder = new TextDecoder()
    let partial = ''
    for (;;) {
      const { done: end, value } = await reader.read()
      if (end) return
      const parts = (partial + decoder.decode(value, { stream: true })).split('\n')
      partial = parts.pop() ?? ''
      lines.push(...parts.filter(Boolean))
    }
  })()
  const deadline = Date.now() + 90_000
  while (!lines.some((l) => l.includes('"msg":"sage mode started"'))) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill('SIGKILL')
      throw new Error(`did not start: ${lines.join('\n')}${await new Response(proc.stderr).text()}`)
    }
    await Bun.sleep(50)
  }
  return { proc, lines, done }
}

/** The pid of the `bun src/main.ts` that `bun run` started (its child). */
function childOf(pid: number): number {
  const out = Bun.spawnSync(['pgrep', '-P', String(pid)]).stdout.toString().trim().split('\n').filter(Boolean)
  if (out.length !== 1) throw new Error(`expected one child of ${pid}, found ${out.join(', ')}`)
  return Number(out[0])
}

describe.skipIf(!postgresUrl || !redisUrl)('a stop signal sent to the process group of `bun run node`', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal}: the process stops gracefully and exits 0, also when the signal comes again mid-stop`, async () => {
      // As a terminal's Ctrl-C or `kill -TERM -<pgid>` does: every process of the group gets it,
      // and `bun run` forwards it to its child as well.
      const { proc, lines, done } = await startThroughBunRun()
      const main = childOf(proc.pid)
      process.kill(-proc.pid, signal)
      // The repeat that races the first one's handling: sent once the stop has begun.
      while (!lines.some((l) => l.includes('"msg":"shutting down"'))) await Bun.sleep(1)
      try {
        process.kill(main, signal)
      } catch {
        // already gone: the stop finished first
      }
      const code = await proc.exited
      await done
      const msgs = lines.map((l) => (JSON.parse(l) as { msg: string }).msg)
      expect([code, msgs.includes('sage mode stopped')]).toEqual([0, true])
      expect(msgs).not.toContain('second signal: exiting before the graceful stop finished')
    })
  }

  it('a plain group signal stops it gracefully, every time', async () => {
    for (let round = 1; round <= 2; round++) {
      const { proc, lines, done } = await startThroughBunRun()
      process.kill(-proc.pid, 'SIGTERM')
      const code = await proc.exited
      await done
      expect([round, code, lines.some((l) => l.includes('"msg":"sage mode stopped"'))]).toEqual([round, 0, true])
    }
  })
})
