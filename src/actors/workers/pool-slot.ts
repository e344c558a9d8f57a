import type { FromWorker, ToWorker } from './worker-protocol.ts'

/** One Worker of the pool, with the jobs it runs (`R`: the pool's record of a running job). */
export interface PoolSlot<R> {
  index: number
  worker: Worker
  /** The isolation Worker runs one job at a time (suspects of a crash, actors on probation). */
  isolated: boolean
  ready: boolean
  readyPromise: Promise<void>
  backlog: ToWorker[]
  running: Map<string, R>
  restarts: number
  /** Terminated or being replaced: its late events are ignored. */
  retired: boolean
}

/** What a slot reports to its pool. */
export interface SlotHooks<R> {
  /** A job message (done, fail, progress) from the Worker. */
  message(slot: PoolSlot<R>, m: Exclude<FromWorker, { t: 'ready' }>): void
  /** The Worker died (an uncaught error, or it exited) while not retired. */
  lost(slot: PoolSlot<R>, detail: string): void
}

/** Starts a Worker from `entry` as a pool slot; messages sent before its ready handshake wait in its backlog. */
export function spawnSlot<R>(
  spec: { entry: URL | string; env?: Record<string, string> | undefined; index: number; restarts: number; isolated: boolean },
  hooks: SlotHooks<R>,
): PoolSlot<R> {
  const worker = new Worker(spec.entry, spec.env ? { env: spec.env } : {})
  let markReady: () => void = () => {}
  const slot: PoolSlot<R> = {
    index: spec.index,
    worker,
    isolated: spec.isolated,
    ready: false,
    readyPromise: new Promise<void>((r) => {
      markReady = r
    }),
    backlog: [],
    running: new Map(),
    restarts: spec.restarts,
    retired: false,
  }
  worker.onmessage = (event: MessageEvent<FromWorker>) => {
    const m = event.data
    if (m.t !== 'ready') return hooks.message(slot, m)
    slot.ready = true
    for (const queued of slot.backlog.splice(0)) worker.postMessage(queued)
    markReady()
  }
  worker.addEventListener('error', (event: Event) => {
    if (!slot.retired) hooks.lost(slot, `worker crashed: ${(event as ErrorEvent).message ?? 'worker error'}`)
  })
  worker.addEventListener('close', () => {
    if (!slot.retired) hooks.lost(slot, 'worker exited unexpectedly')
  })
  return slot
}

/** Posts to the slot's Worker, or queues until its ready handshake. */
export function sendToSlot<R>(slot: PoolSlot<R>, m: ToWorker): void {
  if (slot.ready) slot.worker.postMessage(m)
  else slot.backlog.push(m)
}

/** Asks the Worker to stop (aborting its jobs) and terminates it if it has not exited within `graceMs`. */
export async function stopSlot<R>(slot: PoolSlot<R>, graceMs: number): Promise<void> {
  slot.retired = true
  slot.running.clear()
  const closed = new Promise<void>((resolve) => slot.worker.addEventListener('close', () => resolve()))
  try {
    slot.worker.postMessage({ t: 'stop' } satisfies ToWorker)
  } catch {
    return
  }
  const outcome = await Promise.race([closed.then(() => 'closed'), new Promise((r) => setTimeout(() => r('timeout'), graceMs))])
  if (outcome !== 'closed') slot.worker.terminate()
}
