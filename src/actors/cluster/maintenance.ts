import { autovacuumRunning, maintainTables } from '../../db/table-maintenance.ts'
import { pruneDeadLetters, pruneInbox, pruneNodes } from '../storage/index.ts'
import type { PeriodicSchedule } from './periodic-scheduler.ts'
import type { MailboxTransport } from '../transport/index.ts'

const HOUR = 3_600_000
/** How long a departed node stays listed (`sage nodes` shows it as gone) after its last heartbeat; its leases expired long before. */
export const DEPARTED_NODE_RETENTION_MS = 10 * 60_000

/**
 * The runtime's own periodic tasks: trim every partition stream below its oldest
 * unacknowledged entry, prune old inbox rows, dead letters and departed nodes (in bounded
 * batches), and keep
 * planner statistics fresh where the server's autovacuum is off.
 */
export function maintenanceSchedules(transport: MailboxTransport, partitions: number): PeriodicSchedule[] {
  return [
    {
      name: 'sage.trim-streams',
      everyMs: 10_000,
      async run({ log, signal }) {
        let trimmed = 0
        for (let p = 0; p < partitions && !signal.aborted; p++) trimmed += await transport.trim(p)
        if (trimmed > 0) log.debug('streams trimmed', { entries: trimmed })
      },
    },
    {
      // The runtime's tables grow and churn fast; stale statistics turn its lookups into scans.
      name: 'sage.table-maintenance',
      everyMs: 5_000,
      async run({ db, log }) {
        if (await autovacuumRunning(db)) return
        const done = await maintainTables(db)
        if (done.analyzed.length > 0) log.debug('tables maintained', { ...done })
      },
    },
    {
      name: 'sage.prune-inbox',
      everyMs: 10 * 60_000,
      async run({ db }) {
        // Redeliveries come within minutes; a day of ids is ample for dedupe.
        await pruneInbox(db, 24 * HOUR)
      },
    },
    {
      name: 'sage.prune-dead-letters',
      everyMs: HOUR,
      async run({ db }) {
        await pruneDeadLetters(db, 30 * 24 * HOUR)
      },
    },
    {
      name: 'sage.prune-nodes',
      everyMs: 60_000,
      async run({ db, signal }) {
        // Bounded batches: nodes killed under unique ids (restarts, autoscaling) pile up otherwise.
        for (let i = 0; i < 5 && !signal.aborted && (await pruneNodes(db, DEPARTED_NODE_RETENTION_MS, 1000)) === 1000; i++) {}
      },
    },
  ]
}
