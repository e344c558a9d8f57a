import type { JobHandler, JobRunContext } from '../model/index.ts'
import type { FromWorker, ToWorker } from './worker-protocol.ts'

declare const self: Worker

/**
 * Serves jobs inside a pool Worker: call it once at the top of a `*.worker.ts` entry
 * with every job kind the Worker can run. Answers the ready handshake, runs each job
 * with an AbortSignal (aborted on deadline, cancel or drain), and exits on `stop`.
 * @example
 * // src/agents/agent-jobs.worker.ts
 * import { serveJobs } from '../index.ts'
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
    // The callbacks below outlive this handler by the job's whole run: they take the id, not
    // the message, so a running job does not keep its input's JSON text alive.
    const { id } = m
    const controller = new AbortController()
    running.set(id, controller)
    const ctx: JobRunContext = {
      signal: controller.signal,
      actor: m.actor,
      jobId: id,
      progress: (data: unknown) => post({ t: 'progress', id, data: JSON.stringify(data ?? null) }),
    }
    runParsed(handler, m.input, ctx)
      .then(
        (output) => post({ t: 'done', id, output: JSON.stringify(output ?? null) }),
        (error: unknown) => post({ t: 'fail', id, error: error instanceof Error ? error.message : String(error), unknownKind: false }),
      )
      .finally(() => running.delete(id))
  }
  post({ t: 'ready', kinds: [...byKind.keys()] })
}

/** Runs `handler` on the JSON `input`; a bad input or a synchronous throw rejects like a failed run. */
async function runParsed(handler: JobHandler, input: string, ctx: JobRunContext): Promise<unknown> {
  return handler.run(JSON.parse(input), ctx)
}
