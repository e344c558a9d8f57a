import type { z } from 'zod'

/**
 * A kind of job that runs on the Worker pool: its name and the schemas of its input
 * and output. The same definition is used by the actor that submits it
 * (`ctx.submitJob`) and by the Worker entry that implements it (`handleJob`).
 * @example
 * export const RunAgent = defineJob('run-agent', {
 *   input: z.object({ task_id: z.number() }),
 *   output: z.object({ summary: z.string() }),
 * })
 */
export interface JobType<K extends string = string, I = unknown, O = unknown> {
  readonly kind: K
  readonly input: z.ZodType<I>
  readonly output: z.ZodType<O>
}

/** Defines a job kind (see {@link JobType}). */
export function defineJob<K extends string, IS extends z.ZodType, OS extends z.ZodType>(
  kind: K,
  schemas: { input: IS; output: OS },
): JobType<K, z.output<IS>, z.output<OS>> {
  return {
    kind,
    input: schemas.input as unknown as z.ZodType<z.output<IS>>,
    output: schemas.output as unknown as z.ZodType<z.output<OS>>,
  }
}

/** What a running job gets besides its input. */
export interface JobRunContext {
  /** Aborted when the job passes its deadline, is cancelled, or its partition moves away. */
  signal: AbortSignal
  /** Ephemeral progress (small JSON); reaches the node's `onJobProgress` hook, not the actor's mailbox. */
  progress(data: unknown): void
  /** The address of the actor that submitted the job. */
  actor: string
  jobId: string
}

/** A job kind with its implementation, registered in a Worker entry. */
export interface JobHandler {
  readonly kind: string
  run(input: unknown, ctx: JobRunContext): Promise<unknown>
}

/**
 * Pairs a job kind with the function that runs it inside a Worker. The input is
 * validated before `run`, the output after.
 * @example handleJob(RunAgent, async (input, { signal, progress }) => ({ summary: '…' }))
 */
export function handleJob<K extends string, I, O>(
  job: JobType<K, I, O>,
  run: (input: I, ctx: JobRunContext) => Promise<O>,
): JobHandler {
  return {
    kind: job.kind,
    async run(input, ctx) {
      const output = await run(job.input.parse(input), ctx)
      return job.output.parse(output)
    },
  }
}
