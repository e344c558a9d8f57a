import type { Driver } from './closed-loop.ts'

/** A durable-workflow engine running the seven-role dag in this process, ready for the closed loop. */
export interface PeerRunner extends Driver {
  /** The `application_name` of every PostgreSQL connection it opens, so its backends can be told apart. */
  applicationName: string
  /** Stops the engine and closes its connections; resolves once they are closed. */
  stop(): Promise<void>
}
