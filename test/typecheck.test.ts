import { expect, it } from 'bun:test'
import { join } from 'node:path'

const root = join(import.meta.dir, '..')

it('type-checks the whole project with strict settings (tsc --noEmit)', async () => {
  const proc = Bun.spawn(['bun', 'x', 'tsc', '--noEmit', '-p', '.'], { cwd: root, stdout: 'pipe', stderr: 'pipe' })
  const [code, out, err] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()])
  expect(`${out}${err}`.trim()).toBe('')
  expect(code).toBe(0)
}, 180_000)
