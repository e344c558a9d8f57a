import { expect, it } from 'bun:test'
import { join, relative } from 'node:path'

const root = join(import.meta.dir, '../..')

it('keeps every source file in src/ at 400 lines or fewer (a file past that holds more than one concept)', async () => {
  const over: string[] = []
  for await (const path of new Bun.Glob('src/**/*.{ts,tsx}').scan({ cwd: root })) {
    const lines = (await Bun.file(join(root, path)).text()).split('\n').length
    if (lines > 400) over.push(`${relative('.', path)}: ${lines} lines`)
  }
  expect(over).toEqual([])
})
