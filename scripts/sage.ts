/**
 * `bun run sage <command>`: operations on a running cluster.
 *   nodes [--json]   live (and recently departed) actor nodes and the partitions each owns
 * Reads the same environment as the service (DATABASE_URL, SAGE_PARTITIONS, SAGE_LEASE_MS).
 */
import { listLeases, listNodes } from '../src/actors/index.ts'
import { parseConfig } from '../src/config/index.ts'
import { connectDatabase } from '../src/db/index.ts'
import { createLogger } from '../src/log/index.ts'

const USAGE = 'usage: bun run sage nodes [--json]'

/** One line per node: id, live, heartbeat age, partitions. */
export interface NodeListing {
  node_id: string
  live: boolean
  draining: boolean
  heartbeat_age_ms: number
  started_at: string
  partitions: number[]
}

const [command, ...flags] = process.argv.slice(2)
if (command !== 'nodes') {
  console.error(USAGE)
  process.exit(command === undefined || command === 'help' || command === '--help' ? 0 : 2)
}

const parsed = parseConfig(process.env)
if (!parsed.ok) {
  for (const line of parsed.errors) console.error(`sage-mode: invalid configuration: ${line}`)
  process.exit(2)
}
const { config } = parsed
const log = createLogger('error')
let database
try {
  database = await connectDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.SAGE_DATA_DIR, log })
} catch (error) {
  // PGlite allows one process per data directory: the embedded service holds it.
  console.error(`sage-mode: cannot open the database: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
}

try {
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
  if (flags.includes('--json')) {
    console.log(JSON.stringify({ nodes: listing, unowned, partitions: config.SAGE_PARTITIONS }, null, 2))
  } else {
    const rows = listing.map((n) => [
      n.node_id,
      n.draining ? 'draining' : n.live ? 'live' : 'gone',
      `${(n.heartbeat_age_ms / 1000).toFixed(1)}s ago`,
      String(n.partitions.length),
      compact(n.partitions),
    ])
    const header = ['NODE', 'STATE', 'HEARTBEAT', 'OWNS', 'PARTITIONS']
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)))
    for (const r of [header, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd())
    console.log(`${listing.filter((n) => n.live).length} live node(s); ${config.SAGE_PARTITIONS - unowned.length}/${config.SAGE_PARTITIONS} partitions owned${unowned.length ? `; unowned: ${compact(unowned)}` : ''}`)
  }
} finally {
  await database.close()
}

/** `[0,1,2,5,7,8]` → `0-2,5,7-8`. */
function compact(ps: number[]): string {
  const out: string[] = []
  for (let i = 0; i < ps.length; i++) {
    const start = ps[i] as number
    let end = start
    while (ps[i + 1] === end + 1) end = ps[++i] as number
    out.push(start === end ? String(start) : `${start}-${end}`)
  }
  return out.join(',') || '-'
}
