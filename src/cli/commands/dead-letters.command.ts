import { EXIT } from '../cli-error.ts'
import { type CliIo, println } from '../cli-io.ts'
import { withClusterDatabase } from '../cluster-database.ts'
import { formatTable } from '../table-format.ts'

/** How much of a reason fits on one table line. */
const REASON_WIDTH = 100

/**
 * `sage dead-letters`: the messages the actor runtime gave up on (their handler kept failing,
 * or they could not be read), newest first, with the actor, the message type and why. Like
 * `sage nodes`, an operator's command: it reads the cluster's database directly with the
 * service's environment (DATABASE_URL or SAGE_DATA_DIR), so it works while the web tier is down.
 */
export async function deadLettersCommand(io: CliIo, flags: { json?: boolean; limit?: number }): Promise<number> {
  // Loaded here so the other commands do not pay for the database drivers.
  const { recentDeadLetters, countDeadLetters } = await import('../../actors/index.ts')
  return withClusterDatabase(io, async (database) => {
    const [letters, counts] = await Promise.all([recentDeadLetters(database.db, flags.limit ?? 50), countDeadLetters(database.db)])
    const total = counts.reduce((n, c) => n + c.n, 0)
    if (flags.json) {
      const listing = letters.map((l) => ({
        id: l.id,
        created_at: l.createdAt,
        actor: l.actor,
        message_type: l.messageType,
        message_id: l.messageId,
        partition: l.partition,
        attempts: l.attempts,
        reason: l.reason,
      }))
      println(io, JSON.stringify({ dead_letters: listing, total }, null, 2))
      return EXIT.ok
    }
    const oneLine = (text: string): string => {
      const flat = text.replace(/\s+/g, ' ')
      return flat.length > REASON_WIDTH ? `${flat.slice(0, REASON_WIDTH - 1)}…` : flat
    }
    const rows = letters.map((l) => [l.createdAt.slice(0, 19).replace('T', ' '), l.actor ?? '-', l.messageType ?? '-', String(l.attempts), oneLine(l.reason)])
    if (rows.length > 0) for (const line of formatTable(['AT (UTC)', 'ACTOR', 'MESSAGE', 'TRIES', 'REASON'], rows)) println(io, line)
    const byKind = counts.map((c) => `${c.kind || 'unknown'} ${c.n}`).join(', ')
    println(io, `${total} dead letter(s) recorded${total > 0 ? ` (${byKind}); showing the latest ${letters.length}` : ''}`)
    return EXIT.ok
  })
}
