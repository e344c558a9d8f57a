// Time from spawning `bun src/main.ts` (embedded default: no DATABASE_URL, no REDIS_URL) on a fresh
// data directory to its first 200 from /health. Run `bun run build` first (it makes data-template/).
//   bun scripts/measure-startup.ts [runs=5] [checkout...]
// With several checkouts the runs alternate between them (fairer on a loaded machine); each gets
// its median. STARTUP_LOG=1 prints each run's "start-up steps", "pglite opened" and "actor node started" log lines.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const runs = Number(process.argv[2] ?? 5)
const checkouts = process.argv.length > 3 ? process.argv.slice(3) : [process.cwd()]
const times = new Map<string, number[]>(checkouts.map((c) => [c, []]))
const cpu = new Map<string, number[]>(checkouts.map((c) => [c, []]))

/** CPU time (user + system, every thread) the process has used, in ms (Linux /proc; NaN elsewhere). */
async function cpuMs(pid: number): Promise<number> {
  try {
    const fields = (await Bun.file(`/proc/${pid}/stat`).text()).split(') ')[1]?.split(' ') ?? []
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
  } catch {
    return Number.NaN
  }
}

async function startOnce(cwd: string): Promise<{ ms: number; cpuMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'sage-start-'))
  const port = 30_000 + Math.floor(Math.random() * 20_000)
  const startedAt = performance.now()
  const child = Bun.spawn(['bun', 'src/main.ts'], {
    cwd,
    env: { ...process.env, SAGE_DATA_DIR: join(dir, 'data'), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'debug', DATABASE_URL: '', REDIS_URL: '' },
    stdout: 'pipe',
    stderr: 'inherit',
  })
  let ms = Number.NaN
  let used = Number.NaN
  while (performance.now() - startedAt < 60_000) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) {
        ms = performance.now() - startedAt
        used = await cpuMs(child.pid)
        break
      }
    } catch {}
    await Bun.sleep(10)
  }
  child.kill('SIGTERM')
  await child.exited
  const out = await new Response(child.stdout).text()
  if (process.env.STARTUP_LOG) for (const line of out.split('\n')) if (/start-up steps|pglite opened|actor node started/.test(line)) console.log(`  ${line}`)
  rmSync(dir, { recursive: true, force: true })
  return { ms, cpuMs: used }
}

for (let i = 0; i < runs; i++) {
  for (const cwd of checkouts) {
    const { ms, cpuMs: used } = await startOnce(cwd)
    times.get(cwd)?.push(ms)
    cpu.get(cwd)?.push(used)
    console.log(`${cwd} run ${i + 1}: ${ms.toFixed(0)} ms to /health, ${used.toFixed(0)} ms of CPU`)
  }
}
const median = (list: number[]): string => ([...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? Number.NaN).toFixed(0)
for (const [cwd, list] of times) {
  const used = cpu.get(cwd) ?? []
  console.log(`${cwd}: median ${median(list)} ms to /health (runs: ${list.map((t) => t.toFixed(0)).join(', ')}); median CPU ${median(used)} ms`)
}
