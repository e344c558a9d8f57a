import type { Logger } from '../../log/index.ts'
import { stableHash } from '../model/index.ts'
import type { JobRow } from '../storage/index.ts'
import { blameLoss } from './crash-blame.ts'
import type { JobOutcome, JobRunner } from './job-runner.ts'
import { type PoolSlot, sendToSlot, spawnSlot, stopSlot } from './pool-slot.ts'
import type { FromWorker } from './worker-protocol.ts'

/** Ephemeral progress of a running job. */
export interface JobProgress {
  jobId: string
  actor: string
  kind: string
  data: unknown
}

/** State of one pool Worker (metrics). The isolation Worker, once started, has index `size`. */
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
  /**
   * Reads a recorded job's input again (null: no longer recorded), to re-run a job that shared a
   * lost Worker. Without it the pool keeps every running job's input in memory.
   */
  reloadInput?: (jobId: string) => Promise<string | null>
}

/** A crash whose culprit is being looked for: resolved once a suspect crashed alone. */
interface Incident {
  resolved: boolean
}

interface Running {
  job: JobRow
  done: (outcome: JobOutcome) => void
  slot: Slot | null
  /** The input while it waits to run again (or always, without `reloadInput`). */
  input: string | null
  seq: number
  id: string
  suspected: number
  incident: Incident | null
  deadline: ReturnType<typeof setTimeout> | null
  hangTimer: ReturnType<typeof setTimeout> | null
  timedOut: boolean
}

type Slot = PoolSlot<Running>

/** Actors whose job crashed a Worker: their next jobs run alone until one ends without a crash. */
const PROBATION_LIMIT = 10_000
/** A job suspected this often without being found guilty stays on the isolation Worker until it ends. */
const RELEASE_LIMIT = 2

/**
 * Starts `size` Workers from `entry`. A job goes to the Worker chosen by its actor's address (the
 * Worker "hosts" that actor); it gets an AbortSignal that fires at its deadline. A Worker that
 * crashes, or ignores an abort past the deadline (hangs), is replaced, and the loss counts only
 * against the job that caused it (see {@link blameLoss}): the jobs that merely shared it run again
 * without an outcome, suspects one at a time on a separate isolation Worker until one crashes
 * alone. That job is reported `crashed`/`hung` (its actor's supervisor hears of it), and its
 * actor's next jobs run on the isolation Worker until one ends without a crash.
 * @example
 * const pool = createWorkerPool({ size: 2, entry: new URL('./jobs.worker.ts', import.meta.url), log })
 * await pool.ready()
 */
export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const { log, size } = options
  const hangGraceMs = options.hangGraceMs ?? 2000
  const keepInputs = !options.reloadInput
  const slots: Slot[] = []
  const entries = new Map<string, Running>()
  const queue: Running[] = []
  const probation = new Set<string>()
  let isolation: Slot | null = null
  let isolationRestarts = 0
  let seq = 0
  let stopping = false

  const clearTimers = (r: Running): void => {
    if (r.deadline) clearTimeout(r.deadline)
    if (r.hangTimer) clearTimeout(r.hangTimer)
    r.deadline = null
    r.hangTimer = null
  }

  const settle = (r: Running, outcome: JobOutcome): void => {
    if (entries.get(r.id) !== r) return
    entries.delete(r.id)
    clearTimers(r)
    const slot = r.slot
    slot?.running.delete(r.id)
    // An outcome from a Worker (not a loss): the actor's job ended without crashing it.
    if (slot?.isolated) probation.delete(r.job.actor)
    r.done(outcome)
    if (slot?.isolated) pump()
  }

  const startOn = (slot: Slot, r: Running, input: string): void => {
    r.slot = slot
    r.timedOut = false
    slot.running.set(r.id, r)
    if (!keepInputs) r.input = null
    r.deadline = setTimeout(() => {
      r.timedOut = true
      sendToSlot(slot, { t: 'abort', id: r.id })
      // Still no answer after the grace period: the Worker is stuck (a busy loop ignores its signal).
      r.hangTimer = setTimeout(() => {
        if (slot.running.get(r.id) === r) lose(slot, 'hung', `worker did not stop job ${r.id} within ${hangGraceMs} ms of its deadline`, r.id)
      }, hangGraceMs)
    }, r.job.deadlineMs)
    sendToSlot(slot, { t: 'run', id: r.id, kind: r.job.kind, input, actor: r.job.actor })
  }

  const hostOf = (actor: string): Slot => slots[stableHash(actor) % slots.length] as Slot

  /** Runs the next queued job on the isolation Worker when it is free; releases suspects of a solved crash. */
  const pump = (): void => {
    if (stopping || (isolation && isolation.running.size > 0)) return
    for (let r = queue.shift(); r; r = queue.shift()) {
      if (entries.get(r.id) !== r || r.input === null) continue
      if (r.incident?.resolved && r.suspected < RELEASE_LIMIT && !probation.has(r.job.actor)) {
        r.incident = null
        startOn(hostOf(r.job.actor), r, r.input)
        continue
      }
      isolation ??= spawn(size, isolationRestarts, true)
      startOn(isolation, r, r.input)
      return
    }
    // Nothing left to isolate: the isolation Worker goes until it is needed again.
    if (isolation && isolation.running.size === 0) {
      void stopSlot(isolation, 2000)
      isolation = null
    }
  }

  /** Runs a lost Worker's job again: on its host, or queued for the isolation Worker. */
  const rerun = async (r: Running, alone: boolean): Promise<void> => {
    let input = r.input
    if (input === null && options.reloadInput) {
      input = await options.reloadInput(r.id).catch((error: unknown) => {
        log.warn('could not read a job again to re-run it', { job_id: r.id, error: String(error) })
        return null
      })
    }
    if (entries.get(r.id) !== r || stopping) return
    if (input === null) {
      settle(r, { jobId: r.id, kind: r.job.kind, ok: false, reason: 'crashed', error: 'worker exited unexpectedly and the job could not be run again' })
      return
    }
    r.input = input
    if (!alone && !probation.has(r.job.actor)) return startOn(hostOf(r.job.actor), r, input)
    queue.push(r)
    pump()
  }

  /** A Worker was lost: replaces it and decides who is to blame (the culprit's outcome; the others run again). */
  const lose = (slot: Slot, reason: 'crashed' | 'hung', detail: string, hungJobId: string | null = null): void => {
    if (slot.retired || stopping) return
    slot.retired = true
    try {
      slot.worker.terminate()
    } catch {
      // Already gone.
    }
    const lost = [...slot.running.values()]
    slot.running.clear()
    if (slot.isolated) {
      isolation = null
      isolationRestarts++
    } else slots[slot.index] = spawn(slot.index, slot.restarts + 1, false)
    const blame = blameLoss(reason, hungJobId, slot.isolated, lost)
    log.warn('worker replaced', {
      worker: slot.isolated ? 'isolation' : slot.index,
      reason,
      detail,
      jobs: lost.length,
      culprit: blame.culprits.map((r) => r.id).join(',') || null,
      suspects: blame.suspects.length,
    })
    for (const r of lost) {
      clearTimers(r)
      r.slot = null
    }
    for (const r of blame.culprits) {
      if (r.incident) r.incident.resolved = true
      probation.add(r.job.actor)
      if (probation.size > PROBATION_LIMIT) probation.delete(probation.values().next().value as string)
      settle(r, { jobId: r.id, kind: r.job.kind, ok: false, reason, error: detail })
    }
    for (const r of blame.innocent) void rerun(r, false)
    const incident: Incident = { resolved: false }
    for (const r of blame.suspects) {
      r.suspected++
      r.incident = incident
      void rerun(r, true)
    }
    pump()
  }

  const onMessage = (slot: Slot, m: Exclude<FromWorker, { t: 'ready' }>): void => {
    const r = slot.running.get(m.id)
    if (!r) return
    switch (m.t) {
      case 'done':
        return settle(r, { jobId: m.id, kind: r.job.kind, ok: true, output: JSON.parse(m.output) })
      case 'fail': {
        const reason = m.unknownKind ? 'unknown-kind' : r.timedOut ? 'timeout' : 'error'
        return settle(r, { jobId: m.id, kind: r.job.kind, ok: false, reason, error: r.timedOut ? `deadline of ${r.job.deadlineMs} ms passed` : m.error })
      }
      case 'progress':
        if (!options.onProgress) return
        try {
          options.onProgress({ jobId: m.id, actor: r.job.actor, kind: r.job.kind, data: JSON.parse(m.data) })
        } catch (error) {
          log.debug('progress hook failed', { error: String(error) })
        }
    }
  }

  function spawn(index: number, restarts: number, isolated: boolean): Slot {
    return spawnSlot<Running>({ entry: options.entry, env: options.env, index, restarts, isolated }, { message: onMessage, lost: (slot, detail) => lose(slot, 'crashed', detail) })
  }

  for (let i = 0; i < size; i++) slots.push(spawn(i, 0, false))

  return {
    ready: async () => {
      await Promise.all(slots.map((s) => s.readyPromise))
    },
    run(job, done) {
      if (stopping) return
      const r: Running = {
        // The input has gone to the Worker: keep only what routes the outcome (inputs can be large).
        job: { ...job, input: '' },
        done,
        slot: null,
        input: job.input,
        seq: ++seq,
        id: job.id,
        suspected: 0,
        incident: null,
        deadline: null,
        hangTimer: null,
        timedOut: false,
      }
      entries.set(job.id, r)
      if (!probation.has(job.actor)) return startOn(hostOf(job.actor), r, job.input)
      queue.push(r)
      pump()
    },
    abort(jobIds) {
      for (const id of jobIds) {
        const r = entries.get(id)
        if (!r) continue
        entries.delete(id)
        clearTimers(r)
        const slot = r.slot
        if (!slot) continue
        slot.running.delete(id)
        sendToSlot(slot, { t: 'abort', id })
        if (slot.isolated) pump()
      }
    },
    states() {
      const all = isolation ? [...slots, isolation] : slots
      return all.map((s) => ({ index: s.index, ready: s.ready, running: s.running.size, restarts: s.isolated ? isolationRestarts : s.restarts }))
    },
    async stop() {
      if (stopping) return
      stopping = true
      for (const r of entries.values()) clearTimers(r)
      entries.clear()
      queue.length = 0
      await Promise.all([...slots, ...(isolation ? [isolation] : [])].map((slot) => stopSlot(slot, 2000)))
    },
  }
}
