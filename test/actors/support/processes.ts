import type { Subprocess } from 'bun'

/** A child node process and what it printed. */
export interface NodeProcess {
  nodeId: string
  proc: Subprocess<'ignore', 'pipe', 'pipe'>
  /** Everything printed so far (stdout and stderr). */
  output(): string
  /** SIGTERM and wait for a graceful exit. */
  stop(): Promise<number>
  kill(signal: 'SIGKILL' | 'SIGSTOP' | 'SIGCONT'): void
  exited: Promise<number>
}

const NODE_MAIN = new URL('../fixtures/node-main.ts', import.meta.url).pathname

/** Spawns `bun test/actors/fixtures/node-main.ts` with `env`; resolves once it prints `ready`. */
export async function spawnNode(nodeId: string, env: Record<string, string>, timeoutMs = 20_000): Promise<NodeProcess> {
  const proc = Bun.spawn(['bun', NODE_MAIN], {
    env: { ...process.env, LOG_LEVEL: 'warn', NODE_ID: nodeId, ...env },
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  })
  let out = ''
  let markReady: () => void = () => {}
  const ready = new Promise<void>((resolve) => {
    markReady = resolve
  })
  const pump = async (stream: ReadableStream<Uint8Array>): Promise<void> => {
    const decoder = new TextDecoder()
    const reader = stream.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      out += decoder.decode(value, { stream: true })
      if (out.includes(`ready ${nodeId}`)) markReady()
    }
  }
  void pump(proc.stdout)
  void pump(proc.stderr)
  const outcome = await Promise.race([
    ready.then(() => 'ready' as const),
    proc.exited.then(() => 'exited' as const),
    Bun.sleep(timeoutMs).then(() => 'timeout' as const),
  ])
  if (outcome !== 'ready') {
    proc.kill('SIGKILL')
    throw new Error(`node ${nodeId} did not start (${outcome}):\n${out}`)
  }
  return {
    nodeId,
    proc,
    output: () => out,
    exited: proc.exited,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode ?? -1
      proc.kill('SIGCONT')
      proc.kill('SIGTERM')
      const code = await Promise.race([proc.exited, Bun.sleep(15_000).then(() => null)])
      if (code === null) {
        proc.kill('SIGKILL')
        return proc.exited
      }
      return code
    },
    kill(signal) {
      proc.kill(signal)
    },
  }
}
