import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import openapiTS, { astToString } from 'openapi-typescript'
import { type E2EService, startE2EService } from '../e2e/e2e-service.ts'
import { REPO_ROOT } from '../support/service-process.ts'

setDefaultTimeout(120_000)

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2023',
    module: 'ESNext',
    moduleResolution: 'bundler',
    lib: ['ES2023', 'DOM'],
    types: [],
    strict: true,
    noUncheckedIndexedAccess: true,
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
  },
  include: ['*.ts'],
}

async function run(cmd: string[], cwd: string): Promise<{ code: number; out: string }> {
  const proc = Bun.spawn(cmd, { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd }, stdout: 'pipe', stderr: 'pipe' })
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  return { code, out: `${out}${err}` }
}

describe('a TypeScript client generated from /api/docs', () => {
  let service: E2EService
  let dir: string
  beforeAll(async () => {
    // The whole service (web and actor node, simulated model with no delay): the tasks really run.
    service = await startE2EService('openapi-client', { SIM_LATENCY_MS: '0', SAGE_WORKERS: '1' })
    dir = mkdtempSync(join(tmpdir(), 'sage-openapi-client-'))
  })
  afterAll(async () => {
    await service.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('type-checks a script that signs up, creates a team, starts a session and reads its tasks’ output and cost, which then runs against the live server', async () => {
    const doc = await (await fetch(`${service.base}/api/docs`)).json()
    writeFileSync(join(dir, 'sage-api.ts'), astToString(await openapiTS(doc)))
    copyFileSync(join(import.meta.dir, 'fixtures/openapi-client.ts.txt'), join(dir, 'client.ts'))
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG))

    const tsc = await run([process.execPath, join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', '.'], dir)
    expect(tsc.out).toBe('')
    expect(tsc.code).toBe(0)

    const client = await run([process.execPath, 'client.ts', service.base], dir)
    expect(client.code).toBe(0)
    const result = JSON.parse(client.out.trim().split('\n').at(-1) ?? '{}')
    expect(result.status).toBe('completed')
    expect(result.tasks.map((t: { role: string }) => t.role).sort()).toEqual(['backend_developer', 'software_architect'])
    for (const task of result.tasks) {
      expect(task.status).toBe('completed')
      expect(task.has_output).toBe(true)
      expect(task.cost_usd === null || typeof task.cost_usd === 'number').toBe(true)
    }
  })
})
