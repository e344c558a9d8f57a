import { readdir, readFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { z } from 'zod'

/** One feature brief of an eval suite (`eval/briefs/NN-slug.json`). */
export const EvalBriefSchema = z.object({
  feature_name: z.string().trim().min(1).max(200),
  description: z.string().max(4000).default(''),
  plan: z.enum(['dag', 'parallel', 'sequential']).default('dag'),
  agents: z.array(z.string()).min(1).optional(),
  /** Expected properties; `nouns` (words the outputs must mention) is checked, other keys are listed as unchecked. */
  expect: z.record(z.string(), z.unknown()).default({}),
})
export type EvalBrief = z.output<typeof EvalBriefSchema>

/** A brief and the file it came from (its name without `.json`). */
export interface SuiteBrief {
  name: string
  brief: EvalBrief
}

/** A suite that cannot be read: the message names the file and what is wrong with it. */
export class SuiteError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SuiteError'
  }
}

/** Every `*.json` brief in `dir`, sorted by file name; throws SuiteError for a missing folder, an empty one or a bad file. */
export async function loadSuite(dir: string): Promise<SuiteBrief[]> {
  let files: string[]
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort()
  } catch {
    throw new SuiteError(`cannot read the suite folder ${dir}`)
  }
  if (files.length === 0) throw new SuiteError(`no *.json briefs in ${dir}`)
  const suite: SuiteBrief[] = []
  for (const file of files) {
    let raw: unknown
    try {
      raw = JSON.parse(await readFile(join(dir, file), 'utf8'))
    } catch (error) {
      throw new SuiteError(`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`)
    }
    const parsed = EvalBriefSchema.safeParse(raw)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new SuiteError(`${file}: ${issue?.path.join('.') || 'brief'} ${issue?.message ?? 'is not valid'}`)
    }
    suite.push({ name: basename(file, '.json'), brief: parsed.data })
  }
  return suite
}
