import type { Transaction } from 'kysely'
import type { AgentRole } from '../agents/index.ts'
import type { Database, ExecutionSession, SessionDecision } from '../db/index.ts'

/** Work to do once the caller's transaction has committed (publish messages, announce events). */
export type AfterCommit = () => Promise<void>

/** What ending a session early did; `unavailable` when its supervisor did not answer in time. */
export type EndOutcome = 'ended' | 'already_ended' | 'not_found' | 'unavailable'

/** What a verdict did: `conflict` when the attempt was not awaiting review (or another verdict won). */
export type ReviewOutcome = 'reviewed' | 'conflict' | 'not_found' | 'unavailable'

/** What a resume did: `not_ended` unless the session was failed or cancelled. */
export type ResumeOutcome = 'resumed' | 'not_ended' | 'not_found' | 'unavailable'

/** A reviewer's verdict on one attempt of a task awaiting review. */
export interface VerdictRequest {
  session_id: number
  task_id: number
  attempt: number
  verdict: 'approve' | 'changes' | 'reject'
  comment: string | null
  reviewer_id: number
  reviewer: string
}

/**
 * The seam between the HTTP API and the session supervisor. The API creates rows;
 * the supervisor owns a session's state machine from then on. Until the actor-based
 * implementation is wired in, a direct database implementation stands in.
 */
export interface SessionControl {
  /**
   * Called inside the transaction that created `session` and its pending `tasks` (as inserted,
   * in id order), so the hand-off commits (or rolls back) with them. Run the returned function after commit.
   * A fork's tasks copied from its parent are already `completed`: `reused_attempt` names the attempt copied.
   */
  sessionCreated(
    trx: Transaction<Database>,
    session: ExecutionSession,
    tasks: readonly { id: number; agent_role: AgentRole; reused_attempt?: number }[],
  ): Promise<AfterCommit | null>
  /** Ends an active session as `completed`; pending and running tasks become `cancelled`. */
  complete(sessionId: number): Promise<EndOutcome>
  /** Ends an active session as `cancelled`; running agents stop. */
  cancel(sessionId: number): Promise<EndOutcome>
  /** Sends a verdict to the session's supervisor, which records it and acts on it in one commit. */
  review(request: VerdictRequest): Promise<ReviewOutcome>
  /** Resumes a failed or cancelled session: what did not complete runs again. */
  resume(sessionId: number): Promise<ResumeOutcome>
  /** Called inside the transaction that added a user's decision to the journal. Run the returned function after commit. */
  decisionAdded(trx: Transaction<Database>, decision: SessionDecision): Promise<AfterCommit | null>
  /**
   * Called inside the transaction that raised a budget of these (active, waiting) sessions: their
   * supervisors try their waiting tasks again. Run the returned function after commit.
   */
  budgetRaised(trx: Transaction<Database>, sessionIds: readonly number[]): Promise<AfterCommit | null>
}
