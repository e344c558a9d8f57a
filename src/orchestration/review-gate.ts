import type { ReviewSetting } from '../db/index.ts'

/** Why a finished task waits for a human: its role is reviewed, or its output's confidence is below the threshold. */
export type ReviewReason = 'role' | 'confidence'

/** A reviewer's verdict (API.md `POST /api/tasks/:id/review`). */
export type ReviewVerdict = 'approve' | 'changes' | 'reject'

/** What decides whether a session's finished tasks wait for review (copied from the team when it started). */
export interface ReviewGate {
  review: ReviewSetting
  review_below_confidence: number | null
}

/**
 * Whether a finished attempt of `role` waits for review, and why; null when it completes at once.
 * The session's `review` setting comes first; a confidence under the threshold also gates.
 */
export function reviewReason(gate: ReviewGate, role: string, confidence: number | null): ReviewReason | null {
  const { review } = gate
  if (review === 'all' || (Array.isArray(review) && review.includes(role))) return 'role'
  if (gate.review_below_confidence !== null && confidence !== null && confidence < gate.review_below_confidence) return 'confidence'
  return null
}

/** The output's own confidence (0..1), or null when the output has none. */
export function outputConfidence(outputJson: string): number | null {
  try {
    const value = (JSON.parse(outputJson) as { confidence?: unknown }).confidence
    return typeof value === 'number' && value >= 0 && value <= 1 ? value : null
  } catch {
    return null
  }
}

/** The error a rejected task fails with. */
export function rejectionError(comment: string): string {
  return `Rejected by the reviewer: ${comment}`.slice(0, 4000)
}
