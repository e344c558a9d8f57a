import { EXIT } from '../cli-error.ts'
import { type CliIo, println } from '../cli-io.ts'
import { withClusterDatabase } from '../cluster-database.ts'
import { formatTable } from '../table-format.ts'

/** One line per node: id, live, heartbeat age, partitions. */
export interface NodeListing {
  node_id: string
  live: boolean
  draining: boolean
  heartbeat_age_ms: number
  started_at: string
  partitions: number[]
}

/** `[0,1,2,5,7,8]` → `0-2,5,7-8`. */
export function compactRanges(ps: number[]): string {
  const out: string[] = []
  for (let i = 0; i < ps.length; i++) {
    const start = ps[i] as number
    let end = start
    while (ps[i + 1] === end + 1) end = ps[++i] as number
    out.push(start === end ? String(start) : `${start}-${end}`)
  }
  return out.join(',') || '-'
}

/**
 * `sage nodes`: the live (and recently departed) actor nodes and the partitions each owns.
 * Reads the cluster's database directly with the service's environment (DATABASE_URL,
 * SAGE_PARTITIONS, SAGE_LEASE_MS), so it works while the web tier is down.
 */
export async function nodesCommand(io: CliIo, flags: { json?: boolean }): Promise<number> {
  // Loaded here so the other commands do not pay for the database drivers.
  const { listLeases, listNodes } = await import('../../actors/index.ts')
  return withClusterDatabase(io, async (database, config) => {
    const [nodes, leases] = await Promise.all([listNodes(database.db, config.SAGE_LEASE_MS), listLeases(database.db, config.SAGE_PARTITIONS)])
    const now = Date.now()
    const listing: NodeListing[] = nodes.map((n) => ({
      node_id: n.node_id,
      live: n.live,
      draining: n.draining,
      heartbeat_age_ms: Math.max(0, now - new Date(n.heartbeat_at).getTime()),
      started_at: new Date(n.started_at).toISOString(),
      partitions: leases.filter((l) => !l.free && l.owner === n.node_id).map((l) => l.partition),
    }))
    const unowned = leases.filter((l) => l.free).map((l) => l.partition)
    if (flags.json) {
      println(io, JSON.stringify({ nodes: listing, unowned, partitions: config.SAGE_PARTITIONS }, null, 2))
      return EXIT.ok
    }
    const rows = listing.map((n) => [
      n.node_id,
      n.draining ? 'draining' : n.live ? 'live' : 'gone',
      `${(n.heartbeat_age_ms / 1000).toFixed(1)}s ago`,
      String(n.partitions.length),
      compactRanges(n.partitions),
    ])
    for (const line of formatTable(['NODE', 'STATE', 'HEARTBEAT', 'OWNS', 'PARTITIONS'], rows)) println(io, line)
    const owned = config.SAGE_PARTITIONS - unowned.length
    println(io, `${listing.filter((n) => n.live).length} live node(s); ${owned}/${config.SAGE_PARTITIONS} partitions owned${unowned.length ? `; unowned: ${compactRanges(unowned)}` : ''}`)
    return EXIT.ok
  })
}
