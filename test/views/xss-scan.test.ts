import { describe, expect, it } from 'bun:test'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dir, '../..')

function tsxFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.tsx'))
    .map((f) => join(dir, f))
}

describe('xss-scan', () => {
  it('finds no XSS error or warning in any JSX file under src/', () => {
    const files = tsxFiles(join(root, 'src'))
    expect(files.length).toBeGreaterThan(0)
    // The bin of @kitajs/ts-html-plugin: exit 1 on errors, 2 on warnings only, 0 when clean.
    const proc = Bun.spawnSync(['bun', 'x', 'xss-scan', '--simplified', ...files], { cwd: root, stdout: 'pipe', stderr: 'pipe' })
    const report = proc.stdout.toString() + proc.stderr.toString()
    expect({ exitCode: proc.exitCode, report }).toEqual({ exitCode: 0, report: expect.stringContaining('No XSS vulnerabilities found') })
  }, 60_000)
})
