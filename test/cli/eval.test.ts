/**
 * `sage eval --local` as CI runs it: the fixture suite on the embedded default (PGlite in a temp
 * dir, simulated provider) reproduces its committed baseline exactly, and a role prompt edited in
 * a scratch copy of the repository makes it exit 1 naming the figures that moved.
 */
import { afterAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { REPO_ROOT } from '../support/service-process.ts'
import { cliEnv, scratchConfigHome } from './cli-support.ts'

// Each run boots PGlite and migrates it, then runs three sessions: slow on a busy 2-core machine.
setDefaultTimeout(600_000)

const SUITE = join(REPO_ROOT, 'test/cli/fixtures/briefs')
const BASELINE = join(REPO_ROOT, 'test/cli/fixtures/baseline.simulated.json')

async function evalIn(root: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = Bun.spawn(['bun', 'scripts/sage.ts', 'eval', '--local', '--suite', SUITE, '--baseline', BASELINE], {
    cwd: root,
    env: cliEnv({ XDG_CONFIG_HOME: scratchConfigHome(), TASK_RETRY_BASE_MS: '50', SAGE_WORKERS: '1' }),
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited])
  return { code, stdout, stderr }
}

describe('sage eval --local on the simulated provider', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'sage-eval-copy-'))
  afterAll(() => rmSync(scratch, { recursive: true, force: true }))

  it('reproduces the committed baseline exactly (exit 0)', async () => {
    const run = await evalIn(REPO_ROOT)
    expect(run.stderr).toContain('01-password-reset: session')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('3 brief(s): 3 completed, 0 failed; expectations met 100.0%')
    expect(run.stdout).toMatch(/^suite\s+12\/12\s/m)
    // Reviews are not on this server and the consistency score is a session's: a role prints n/a, never 0.
    expect(run.stdout).toMatch(/^backend_developer\s.*\sn\/a\s+n\/a$/m)
    // The simulated team agrees with itself: every session of the suite scores 100.
    expect(run.stdout).toMatch(/^suite\s.*\s100\.0$/m)
    // Every figure but latency (which a baseline does not keep) is exact on the simulated provider.
    expect(run.stdout).toContain('\nbaseline: no differences\n')
  })

  it('exits 1 naming the changed figures when a role prompt grows (scratch copy of the repository)', async () => {
    for (const part of ['src', 'migrations', 'scripts', 'package.json', 'tsconfig.json', 'bunfig.toml']) cpSync(join(REPO_ROOT, part), join(scratch, part), { recursive: true })
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(scratch, 'node_modules'))
    const rolePath = join(scratch, 'src/agents/roles/backend-developer.role.ts')
    const source = readFileSync(rolePath, 'utf8')
    const anchor = "'You are the Backend Developer of a seven-person development team.',"
    expect(source).toContain(anchor)
    const extra = 'Before answering, restate every requirement of the feature in your own words and list each assumption you make about it. '.repeat(12)
    writeFileSync(rolePath, source.replace(anchor, `${anchor}\n    ${JSON.stringify(extra)},`))
    const run = await evalIn(scratch)
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/^baseline: \d+ figure\(s\) changed, [1-9]\d* regression\(s\) beyond tolerance$/m)
    expect(run.stdout).toMatch(/^REGRESSION\s+roles\.backend_developer\.input_tokens: \d+ → \d+$/m)
    expect(run.stdout).toMatch(/^REGRESSION\s+suite\.input_tokens: \d+ → \d+$/m)
    // The other roles' prompts did not change: their input tokens are not named.
    expect(run.stdout).not.toMatch(/roles\.software_architect\.input_tokens/)
  })
})
