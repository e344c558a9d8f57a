import { describe, expect, it } from 'bun:test'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const ROOT = resolve(import.meta.dir, '../..')
const SRC = join(ROOT, 'src')

/** Every .ts/.tsx file under `dir`. */
function sourceFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path))
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(path)
  }
  return out
}

/** Relative imports of one file, type-only ones included (a type import is still a dependency to read). */
function importsOf(file: string, text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
  const specs = [...code.matchAll(/(?:^|[\s;])(?:import|export)\b[^'"`;]*?\sfrom\s*['"](\.[^'"]+)['"]|\bimport\s*\(\s*['"](\.[^'"]+)['"]\s*\)|^\s*import\s+['"](\.[^'"]+)['"]/gm)]
  return specs.map((m) => resolve(dirname(file), (m[1] ?? m[2] ?? m[3]) as string))
}

/** The import graph of `src/`: file → files it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const file of sourceFiles(SRC)) graph.set(file, importsOf(file, readFileSync(file, 'utf8')))
  return graph
}

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0
  const indices = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (v: string): void => {
    indices.set(v, index)
    low.set(v, index++)
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue
      if (!indices.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, indices.get(w) as number))
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop() as string
        onStack.delete(w)
        component.push(w)
      } while (w !== v)
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.map((f) => relative(ROOT, f)).sort())
    }
  }
  for (const v of graph.keys()) if (!indices.has(v)) visit(v)
  return found
}

describe('imports of src/', () => {
  const graph = importGraph()

  it('finds a cycle when there is one (the walker itself works)', () => {
    const a = join(SRC, '__a.ts')
    const b = join(SRC, '__b.ts')
    const c = join(SRC, '__c.ts')
    const fake = new Map([
      [a, importsOf(a, "import type { B } from './__b.ts'")],
      [b, importsOf(b, "export { C } from './__c.ts'")],
      [c, importsOf(c, "import { A } from './__a.ts'\nconst x = await import('./__b.ts')")],
    ])
    expect(cycles(fake)).toEqual([['src/__a.ts', 'src/__b.ts', 'src/__c.ts']])
  })

  it('reads every relative import of a real file', () => {
    const index = join(SRC, 'actors/index.ts')
    expect(graph.get(index)).toContain(join(SRC, 'actors/model/index.ts'))
  })

  it('has no import cycle anywhere in src/', () => {
    expect(cycles(graph).map((c) => c.join(' → '))).toEqual([])
  })
})
