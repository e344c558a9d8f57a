import type { Transaction } from 'kysely'
import type { Database } from '../../db/index.ts'
import type { ActiveActor, ActiveActors } from '../handling/index.ts'
import { loadRegistry, type RegistryEntry } from '../storage/index.ts'

/**
 * A partition's active actors in least-recently-used order (a Map keeps insertion
 * order): kept between messages, dropped when a commit that touched them fails, and
 * passivated beyond `max`.
 */
export class ActorCache implements ActiveActors {
  private readonly actors = new Map<string, ActiveActor>()
  private readonly max: number

  constructor(max: number) {
    this.max = max
  }

  /** Whether `self` is in memory (does not change its recency). */
  has(self: string): boolean {
    return this.actors.has(self)
  }

  use(self: string): ActiveActor | undefined {
    const actor = this.actors.get(self)
    if (actor) {
      this.actors.delete(self)
      this.actors.set(self, actor)
    }
    return actor
  }

  add(self: string, actor: ActiveActor): void {
    this.actors.set(self, actor)
  }

  remove(self: string): void {
    this.actors.delete(self)
  }

  clear(): void {
    this.actors.clear()
  }

  get size(): number {
    return this.actors.size
  }

  /** Records supervisors learned from a commit's spawns, for the children still in memory. */
  learnSupervisors(spawned: ReadonlyMap<string, string>): void {
    for (const [child, supervisor] of spawned) {
      const a = this.actors.get(child)
      if (a) a.supervisor = supervisor
    }
  }

  /** The actor's supervisor: from memory, the commit's registry rows, or the registry table (then remembered). */
  async supervisorOf(trx: Transaction<Database>, actor: string, registry: ReadonlyMap<string, RegistryEntry>): Promise<string | null> {
    const known = this.actors.get(actor)?.supervisor
    if (known !== undefined) return known
    const entry = registry.has(actor) ? registry.get(actor) : (await loadRegistry(trx, [actor])).get(actor)
    const supervisor = entry?.supervisor ?? null
    const active = this.actors.get(actor)
    if (active) active.supervisor = supervisor
    return supervisor
  }

  /** Drops the least recently used actors beyond the limit (their state is reloaded on their next message). */
  passivate(): void {
    const excess = this.actors.size - this.max
    if (excess <= 0) return
    let n = 0
    for (const key of this.actors.keys()) {
      if (n++ >= excess) break
      this.actors.delete(key)
    }
  }
}
