import { partitionOf } from '../model/index.ts'
import { deregister, ensurePartitions, heartbeat, listLeases, liveNodeIds, type OutboxMessage, partitionsWithStaleOutbox, releaseLease, renewLeases } from '../storage/index.ts'
import { PartitionProcessor, type RuntimeEnv } from '../partition/index.ts'
import { acquireLeases } from './acquire-leases.ts'
import { assignPartitions } from './rendezvous.ts'
import type { MailboxSink } from '../transport/index.ts'
import type { JobProgress } from '../workers/index.ts'

/** What the coordinator reports about one owned partition. */
export interface OwnedPartition {
  partition: number
  epoch: number
  queued: number
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/**
 * Keeps this node's share of partitions: heartbeats, renews leases every round,
 * computes the fair assignment over live nodes (bounded-load rendezvous), takes free
 * partitions assigned to it, hands over (drain, then release) a bounded number per
 * round of those assigned elsewhere, and drops partitions whose lease was taken.
 */
export class Coordinator implements MailboxSink {
  private readonly env: RuntimeEnv
  private readonly processors = new Map<number, PartitionProcessor>()
  private readonly handingOver = new Set<number>()
  private readonly info: Record<string, unknown>
  private draining = false
  private lastReconcile = 0
  private lastReclaim = Date.now()
  private stopped = false
  private loop: Promise<void> | null = null
  private wakeTick: (() => void) | null = null

  constructor(env: RuntimeEnv, info: Record<string, unknown>) {
    this.env = env
    this.info = info
  }

  /** Registers the node and starts the coordination loop; resolves after the first round. */
  async start(): Promise<void> {
    await ensurePartitions(this.env.db, this.env.partitions)
    await this.tickSafely()
    this.loop = this.run()
  }

  /** Partitions this node runs now. */
  owned(): OwnedPartition[] {
    return [...this.processors.values()]
      .map((p) => ({ partition: p.partition, epoch: p.epoch, queued: p.queued }))
      .sort((a, b) => a.partition - b.partition)
  }

  /** Hands committed messages to local processors, or appends them to the transport. */
  async route(messages: OutboxMessage[]): Promise<void> {
    const local = new Map<number, OutboxMessage[]>()
    const remote = new Map<number, OutboxMessage[]>()
    for (const m of messages) {
      // Only a partition's messages to itself skip the transport: any other sender's
      // messages always take the same path (the stream), so its order holds across
      // changes of ownership.
      const inPlace = m.sourcePartition === m.targetPartition && this.processors.get(m.targetPartition)?.accepting
      const into = inPlace ? local : remote
      let list = into.get(m.targetPartition)
      if (!list) {
        list = []
        into.set(m.targetPartition, list)
      }
      list.push(m)
    }
    for (const [partition, list] of local) this.processors.get(partition)?.enqueueLocal(list)
    await Promise.all(
      [...remote].map(([partition, list]) => this.env.transport.append(partition, list.map((m) => ({ messageId: m.messageId, body: m.envelope })))),
    )
  }

  /** A running job's progress, for the processor of the partition that runs the job. */
  jobProgress(progress: JobProgress): void {
    this.processors.get(partitionOf(progress.actor, this.env.partitions))?.jobProgress(progress.jobId, progress.data)
  }

  /** MailboxSink: entries read by the transport. */
  deliver(partition: number, deliveries: import('../transport/transport.ts').Delivery[]): void {
    // Not ours any more: the entries stay pending and the next owner claims them.
    this.processors.get(partition)?.deliver(deliveries)
  }

  /** MailboxSink: backpressure per partition. */
  capacity(partition: number): number {
    return this.processors.get(partition)?.capacity() ?? 0
  }

  /** Runs a coordination round now (tests; a node that just joined). */
  async tickNow(): Promise<void> {
    await this.tickSafely()
  }

  /**
   * Graceful stop: marks the node draining (others stop assigning to it), drains every
   * partition, releases the leases and deregisters. Entries already read are handled
   * first, so nothing is redelivered. Gives up draining after `timeoutMs` (halting).
   */
  async stop(timeoutMs: number): Promise<void> {
    if (this.stopped) return
    this.draining = true
    try {
      await heartbeat(this.env.db, this.env.nodeId, true, this.info)
    } catch (error) {
      this.env.log.warn('could not mark the node draining', { error: String(error) })
    }
    const procs = [...this.processors.values()]
    const drained = Promise.all(procs.map((p) => p.drain()))
    const outcome = await Promise.race([drained.then(() => 'drained' as const), sleep(timeoutMs).then(() => 'timeout' as const)])
    if (outcome === 'timeout') {
      this.env.log.warn('drain timed out; halting partitions', { timeout_ms: timeoutMs })
      await Promise.all(procs.map((p) => p.halt()))
    }
    this.stopped = true
    this.wakeTick?.()
    await this.loop
    try {
      for (const p of procs) await releaseLease(this.env.db, p.partition, this.env.nodeId, p.epoch)
      await deregister(this.env.db, this.env.nodeId)
    } catch (error) {
      this.env.log.warn('could not release leases; they will expire', { error: String(error) })
    }
    this.processors.clear()
  }

  /** Stops at once without draining (leases expire by themselves). For crash tests. */
  async abandon(): Promise<void> {
    this.stopped = true
    this.wakeTick?.()
    await this.loop
    await Promise.all([...this.processors.values()].map((p) => p.halt()))
    this.processors.clear()
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.env.tuning.tickMs)
        this.wakeTick = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      this.wakeTick = null
      if (this.stopped) break
      await this.tickSafely()
    }
  }

  private async tickSafely(): Promise<void> {
    try {
      await this.tick()
    } catch (error) {
      // PostgreSQL unreachable: processors pause when their lease validity runs out.
      this.env.log.warn('coordination round failed', { error: String(error) })
    }
  }

  private async tick(): Promise<void> {
    const { env } = this
    const sentAt = performance.now()
    await heartbeat(env.db, env.nodeId, this.draining, this.info)
    const held = new Map([...this.processors].map(([p, proc]) => [p, proc.epoch]))
    const kept = await renewLeases(env.db, env.nodeId, held, env.leaseMs)
    for (const [partition, proc] of this.processors) {
      if (kept.has(partition)) {
        proc.renewed(sentAt + env.leaseMs - 100)
        continue
      }
      env.log.warn('lease taken by another node', { partition, epoch: proc.epoch })
      this.processors.delete(partition)
      void proc.halt()
    }
    if (this.draining || this.stopped) return
    await this.upkeep()

    const live = await liveNodeIds(env.db, env.leaseMs)
    if (!live.includes(env.nodeId)) live.push(env.nodeId)
    const desired = assignPartitions(env.partitions, live)

    let moves = 0
    for (const partition of [...this.processors.keys()]) {
      if (desired[partition] === env.nodeId || this.handingOver.has(partition)) continue
      if (moves++ >= env.tuning.movesPerRound) break
      void this.handOver(partition)
    }

    const leases = await listLeases(env.db, env.partitions)
    const wanted = leases.filter((l) => desired[l.partition] === env.nodeId && !this.processors.has(l.partition) && l.free).map((l) => l.partition)
    if (wanted.length === 0 || this.stopped || this.draining) return
    // One statement for all of them (a first start takes every partition at once).
    const acquiredAt = performance.now()
    const taken = await acquireLeases(env.db, wanted, env.nodeId, env.leaseMs, Math.min(1000, env.leaseMs / 2))
    await Promise.all([...taken].map(([p, epoch]) => this.open(p, epoch, acquiredAt)))
  }

  /**
   * One query for the whole node finds partitions with outbox rows older than
   * `reconcileAfterMs` (lost on their way, or a backlog); only those reconcile. A reclaim
   * round for lost acknowledgements runs every 15 s.
   */
  private async upkeep(): Promise<void> {
    const now = Date.now()
    const owned = [...this.processors.keys()]
    if (owned.length === 0) return
    if (now - this.lastReconcile >= this.env.tuning.reconcileEveryMs) {
      this.lastReconcile = now
      for (const p of await partitionsWithStaleOutbox(this.env.db, owned, this.env.tuning.reconcileAfterMs)) {
        this.processors.get(p)?.requestReconcile()
      }
    }
    if (now - this.lastReclaim >= 15_000) {
      this.lastReclaim = now
      for (const proc of this.processors.values()) proc.requestReclaim()
    }
  }

  private async open(partition: number, epoch: number, acquiredAt: number): Promise<void> {
    const proc = new PartitionProcessor(this.env, partition, epoch)
    proc.renewed(acquiredAt + this.env.leaseMs - 100)
    proc.onFenced = () => {
      if (this.processors.get(partition) === proc) this.processors.delete(partition)
    }
    this.processors.set(partition, proc)
    try {
      const replay = await this.env.transport.open(partition)
      await proc.start(replay)
      // A first acquisition with nothing to replay is routine (64 of them at every start): debug. A
      // takeover (a later epoch) or a replay is what an operator wants to see.
      const notable = epoch > 1 || replay.length > 0
      this.env.log[notable ? 'info' : 'debug']('partition acquired', { partition, epoch, replayed: replay.length })
    } catch (error) {
      this.env.log.warn('could not open partition; releasing it', { partition, error: String(error) })
      this.processors.delete(partition)
      await proc.halt()
      await releaseLease(this.env.db, partition, this.env.nodeId, epoch).catch(() => undefined)
    }
  }

  private async handOver(partition: number): Promise<void> {
    const proc = this.processors.get(partition)
    if (!proc) return
    this.handingOver.add(partition)
    try {
      await proc.drain()
      this.processors.delete(partition)
      await releaseLease(this.env.db, partition, this.env.nodeId, proc.epoch)
      this.env.log.info('partition handed over', { partition, epoch: proc.epoch })
    } catch (error) {
      this.env.log.warn('hand-over failed; the lease will expire', { partition, error: String(error) })
    } finally {
      this.handingOver.delete(partition)
    }
  }
}
