// Time from spawning `bun src/main.ts` (embedded default: no DATABASE_URL, no REDIS_URL) on a fresh
// data directory to its first 200 from /health. Run `bun run build` first (it makes data-template/).
//   bun scripts/measure-startup.ts [runs=5] [checkout...]
// With several checkouts the runs alternate between them (fairer on a loaded machine); each gets
// its median. STARTUP_LOG=1 prints each run's "start-up steps" and "pglite opened" log lines.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const runs = Number(process.argv[2] ?? 5)
const checkouts = process.argv.length > 3 ? process.argv.slice(3) : [process.cwd()]
const times = new Map<string, number[]>(checkouts.map((c) => [c, []]))

async function startOnce(cwd: string): Promise<number> {
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
  while (performance.now() - startedAt < 60_000) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) {
        ms = performance.now() - startedAt
        break
      }
    } catch {}
    await Bun.sleep(10)
  }
  child.kill('SIGTERM')
  await child.exited
  const out = await new Response(child.stdout).text()
  if (process.env.STARTUP_LOG) for (const line of out.split('\n')) if (/start-up steps|pglite opened/.test(line)) console.log(`  ${line}`)
  rmSync(dir, { recursive: true, force: true })
  return ms
}

for (let i = 0; i < runs; i++) {
  for (const cwd of checkouts) {
    const ms = await startOnce(cwd)
    times.get(cwd)?.push(ms)
    console.log(`${cwd} run ${i + 1}: ${ms.toFixed(0)} ms`)
  }
}
for (const [cwd, list] of times) {
  const sorted = [...list].sort((a, b) => a - b)
  console.log(`${cwd}: median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(0)} ms (runs: ${list.map((t) => t.toFixed(0)).join(', ')})`)
}
