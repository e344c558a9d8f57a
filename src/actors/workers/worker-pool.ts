import type { Logger } from '../../log/index.ts'
import { stableHash } from '../model/index.ts'
import type { JobRow } from '../storage/index.ts'
import type { JobOutcome, JobRunner } from './job-runner.ts'
import type { FromWorker, ToWorker } from './worker-protocol.ts'

/** Ephemeral progress of a running job. */
export interface JobProgress {
  jobId: string
  actor: string
  kind: string
  data: unknown
}

/** State of one pool Worker (metrics). */
export interface WorkerState {
  index: number
  ready: boolean
  running: number
  restarts: number
}

/** A fixed pool of long-lived Bun Workers running jobs. */
export interface WorkerPool extends JobRunner {
  /** Resolves when every Worker answered the ready handshake. */
  ready(): Promise<void>
  states(): WorkerState[]
  /** Asks every Worker to stop (aborting its jobs), terminating those that do not exit in time. Idempotent. */
  stop(): Promise<void>
}

/** Options of {@link createWorkerPool}. */
export interface WorkerPoolOptions {
  size: number
  /** The Worker entry (a `*.worker.ts` calling `serveJobs`). */
  entry: URL | string
  /** The Workers' `process.env` (default: the process's). */
  env?: Record<string, string>
  log: Logger
  onProgress?: (progress: JobProgress) => void
  /** How long a Worker may ignore an abort after a deadline before it counts as hung. */
  hangGraceMs?: number
}

interface Running {
  job: JobRow
  done: (outcome: JobOutcome) => void
  deadline: ReturnType<typeof setTimeout>
  hangTimer: ReturnType<typeof setTimeout> | null
  timedOut: boolean
}

interface Slot {
  index: number
  worker: Worker
  ready: boolean
  readyPromise: Promise<void>
  backlog: ToWorker[]
  running: Map<string, Running>
  restarts: number
  retired: boolean
}

/**
 * Starts `size` Workers from `entry`. A job goes to the Worker chosen by its actor's
 * address (the Worker "hosts" that actor); it gets an AbortSignal that fires at its
 * deadline. A Worker that crashes, or ignores an abort past the deadline (hangs), is
 * replaced; its jobs are reported `crashed`/`hung` so their actors' supervisors hear of it.
 * @example
 * const pool = createWorkerPool({ size: 2, entry: new URL('./jobs.worker.ts', import.meta.url), log })
 * await pool.ready()
 */
export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const { log } = options
  const hangGraceMs = options.hangGraceMs ?? 2000
  const slots: Slot[] = []
  const jobSlot = new Map<string, Slot>()
  let stopping = false

  const send = (slot: Slot, m: ToWorker): void => {
    if (slot.ready) slot.worker.postMessage(m)
    else slot.backlog.push(m)
  }

  const settle = (slot: Slot, id: string, outcome: JobOutcome): void => {
    const r = slot.running.get(id)
    if (!r) return
    slot.running.delete(id)
    jobSlot.delete(id)
    clearTimeout(r.deadline)
    if (r.hangTimer) clearTimeout(r.hangTimer)
    r.done(outcome)
  }

  const replace = (slot: Slot, reason: 'crashed' | 'hung', detail: string): void => {
    if (slot.retired || stopping) return
    slot.retired = true
    log.warn('worker replaced', { worker: slot.index, reason, detail, jobs: slot.running.size })
    try {
      slot.worker.terminate()
    } catch {
      // Already gone.
    }
    const orphans = [...slot.running.entries()]
    const fresh = spawn(slot.index, slot.restarts + 1)
    slots[slot.index] = fresh
    for (const [id, r] of orphans) {
      settle(slot, id, { jobId: id, kind: r.job.kind, ok: false, reason, error: detail })
    }
  }

  function spawn(index: number, restarts: number): Slot {
    const worker = new Worker(options.entry, options.env ? { env: options.env } : {})
    let markReady: () => void = () => {}
    const slot: Slot = {
      index,
      worker,
      ready: false,
      readyPromise: new Promise<void>((r) => {
        markReady = r
      }),
      backlog: [],
      running: new Map(),
      restarts,
      retired: false,
    }
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const m = event.data
      switch (m.t) {
        case 'ready':
          slot.ready = true
          for (const queued of slot.backlog.splice(0)) worker.postMessage(queued)
          markReady()
          return
        case 'done': {
          const r = slot.running.get(m.id)
          if (!r) return
          settle(slot, m.id, { jobId: m.id, kind: r.job.kind, ok: true, output: JSON.parse(m.output) })
          return
        }
        case 'fail': {
          const r = slot.running.get(m.id)
          if (!r) return
          const reason = m.unknownKind ? 'unknown-kind' : r.timedOut ? 'timeout' : 'error'
          settle(slot, m.id, { jobId: m.id, kind: r.job.kind, ok: false, reason, error: r.timedOut ? `deadline of ${r.job.deadlineMs} ms passed` : m.error })
          return
        }
        case 'progress': {
          const r = slot.running.get(m.id)
          if (!r || !options.onProgress) return
          try {
            options.onProgress({ jobId: m.id, actor: r.job.actor, kind: r.job.kind, data: JSON.parse(m.data) })
          } catch (error) {
            log.debug('progress hook failed', { error: String(error) })
          }
        }
      }
    }
    worker.addEventListener('error', (event: Event) => {
      const message = (event as ErrorEvent).message ?? 'worker error'
      replace(slot, 'crashed', `worker crashed: ${message}`)
    })
    worker.addEventListener('close', () => {
      if (!slot.retired && !stopping) replace(slot, 'crashed', 'worker exited unexpectedly')
    })
    return slot
  }

  for (let i = 0; i < options.size; i++) slots.push(spawn(i, 0))

  return {
    ready: async () => {
      await Promise.all(slots.map((s) => s.readyPromise))
    },
    run(job, done) {
      if (stopping) return
      const slot = slots[stableHash(job.actor) % slots.length] as Slot
      const r: Running = {
        // The input has gone to the Worker: keep only what routes the outcome (inputs can be large).
        job: { ...job, input: '' },
        done,
        timedOut: false,
        hangTimer: null,
        deadline: setTimeout(() => {
          r.timedOut = true
          send(slot, { t: 'abort', id: job.id })
          // Still no answer after the grace period: the Worker is stuck (a busy loop ignores its signal).
          r.hangTimer = setTimeout(() => {
            const current = jobSlot.get(job.id)
            if (current) replace(current, 'hung', `worker did not stop job ${job.id} within ${hangGraceMs} ms of its deadline`)
          }, hangGraceMs)
        }, job.deadlineMs),
      }
      slot.running.set(job.id, r)
      jobSlot.set(job.id, slot)
      send(slot, { t: 'run', id: job.id, kind: job.kind, input: job.input, actor: job.actor })
    },
    abort(jobIds) {
      for (const id of jobIds) {
        const slot = jobSlot.get(id)
        if (!slot) continue
        const r = slot.running.get(id)
        slot.running.delete(id)
        jobSlot.delete(id)
        if (r) {
          clearTimeout(r.deadline)
          if (r.hangTimer) clearTimeout(r.hangTimer)
        }
        send(slot, { t: 'abort', id })
      }
    },
    states() {
      return slots.map((s) => ({ index: s.index, ready: s.ready, running: s.running.size, restarts: s.restarts }))
    },
    async stop() {
      if (stopping) return
      stopping = true
      await Promise.all(
        slots.map(async (slot) => {
          for (const r of slot.running.values()) {
            clearTimeout(r.deadline)
            if (r.hangTimer) clearTimeout(r.hangTimer)
          }
          slot.running.clear()
          const closed = new Promise<void>((resolve) => slot.worker.addEventListener('close', () => resolve()))
          try {
            slot.worker.postMessage({ t: 'stop' } satisfies ToWorker)
          } catch {
            return
          }
          const outcome = await Promise.race([closed.then(() => 'closed'), new Promise((r) => setTimeout(() => r('timeout'), 2000))])
          if (outcome !== 'closed') slot.worker.terminate()
        }),
      )
    },
  }
}
