/**
 * `bun run chaos [--quick] [--only <name>] [--sessions <n>]`: the fault suite. Starts a private
 * PostgreSQL cluster (initdb/pg_ctl) and redis-server on free ports in temp directories (never
 * the machine's own), then for each fault a fresh database, a web process and three actor nodes,
 * starts sessions, does the damage and checks PostgreSQL. Prints a table (fault, sessions,
 * completed = ended as expected, lost, duplicated, stuck, recovery time) and exits 1 unless every
 * fault ended with 0 lost, 0 duplicated and 0 stuck. `--quick` runs the faults marked quick.
 */
import { faults } from '../bench/chaos/faults.ts'
import { clean, formatTable } from '../bench/chaos/report.ts'
import { type FaultRow, runFault } from '../bench/chaos/run-fault.ts'
import { privatePostgresAvailable, redisAvailable, startChaosRedis, startPrivatePostgres } from '../bench/chaos/services.ts'

const args = process.argv.slice(2)
const quick = args.includes('--quick')
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined
const sessionsArg = args.includes('--sessions') ? Number(args[args.indexOf('--sessions') + 1]) : undefined
const plain = sessionsArg && Number.isInteger(sessionsArg) && sessionsArg > 0 ? sessionsArg : quick ? 6 : 10

if (!privatePostgresAvailable() || !redisAvailable()) {
  console.error('chaos: needs the PostgreSQL 15 binaries (run as root, with runuser) and redis-server/redis-cli')
  process.exit(2)
}

const selected = faults(plain).filter((f) => (only ? f.name.includes(only) : !quick || f.quick))
if (selected.length === 0) {
  console.error(`chaos: no fault matches "${only}"`)
  process.exit(2)
}

const log = (line: string) => console.log(line)
const started = Date.now()
log(`chaos: ${selected.length} fault(s), ${plain} plain sessions each; starting a private PostgreSQL and Redis`)
const [pg, redis] = await Promise.all([startPrivatePostgres(), startChaosRedis()])
const rows: FaultRow[] = []
const stopAll = async (): Promise<void> => {
  await redis.stop().catch(() => {})
  await pg.resume().catch(() => {})
  await pg.stop().catch(() => {})
}
process.on('SIGINT', () => {
  void stopAll().then(() => process.exit(130))
})
try {
  for (const [i, fault] of selected.entries()) {
    log(`- ${fault.name}`)
    try {
      const row = await runFault(fault, i, { pg, redis }, { plain, log })
      rows.push(row)
      for (const p of row.problems) log(`  [${fault.name}] problem: ${p}`)
    } catch (error) {
      log(`  [${fault.name}] could not run: ${error instanceof Error ? error.stack : String(error)}`)
      rows.push({ fault: fault.name, sessions: 0, completed: 0, lost: 0, duplicated: 0, stuck: 1, problems: ['the fault could not run'], recoveryMs: null, seconds: 0 })
    }
  }
} finally {
  await stopAll()
}
log('')
for (const line of formatTable(rows)) log(line)
log(`chaos: ${new Date().toISOString()} in ${Math.round((Date.now() - started) / 1000)} s: ${clean(rows) ? '0 lost, 0 duplicated, 0 stuck' : 'FAILED'}`)
process.exit(clean(rows) ? 0 : 1)
