import type { JobHandler } from './job.ts'
import type { FromWorker, ToWorker } from './worker-protocol.ts'

declare const self: Worker

/**
 * Serves jobs inside a pool Worker: call it once at the top of a `*.worker.ts` entry
 * with every job kind the Worker can run. Answers the ready handshake, runs each job
 * with an AbortSignal (aborted on deadline, cancel or drain), and exits on `stop`.
 * @example
 * // src/agents/agent-jobs.worker.ts
 * import { serveJobs } from '../actors/index.ts'
 * serveJobs([handleJob(RunAgent, runAgent)])
 */
export function serveJobs(handlers: JobHandler[]): void {
  const byKind = new Map(handlers.map((h) => [h.kind, h]))
  const running = new Map<string, AbortController>()
  const post = (m: FromWorker): void => self.postMessage(m)

  self.onmessage = (event: MessageEvent<ToWorker>) => {
    const m = event.data
    if (m.t === 'stop') {
      for (const c of running.values()) c.abort(new Error('worker stopping'))
      process.exit(0)
    }
    if (m.t === 'abort') {
      running.get(m.id)?.abort(new Error('job aborted'))
      return
    }
    const handler = byKind.get(m.kind)
    if (!handler) {
      post({ t: 'fail', id: m.id, error: `no job handler for kind "${m.kind}"`, unknownKind: true })
      return
    }
    const controller = new AbortController()
    running.set(m.id, controller)
    const ctx = {
      signal: controller.signal,
      actor: m.actor,
      jobId: m.id,
      progress: (data: unknown) => post({ t: 'progress', id: m.id, data: JSON.stringify(data ?? null) }),
    }
    Promise.resolve()
      .then(() => handler.run(JSON.parse(m.input), ctx))
      .then(
        (output) => post({ t: 'done', id: m.id, output: JSON.stringify(output ?? null) }),
        (error: unknown) => post({ t: 'fail', id: m.id, error: error instanceof Error ? error.message : String(error), unknownKind: false }),
      )
      .finally(() => running.delete(m.id))
  }
  post({ t: 'ready', kinds: [...byKind.keys()] })
}
