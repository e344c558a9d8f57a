/**
 * Every URL the views link to or post to, in one place, so the page routes (src/http/) and the
 * views agree. Pages follow API.md "Pages"; form targets are the HTML counterparts of the JSON API.
 */
export const paths = {
  home: (): string => '/',
  signup: (): string => '/signup',
  login: (): string => '/login',
  logout: (): string => '/logout',
  teams: (): string => '/teams',
  team: (id: number): string => `/teams/${id}`,
  /** The team page's start form, filled in with an earlier session's brief (feature, description, plan, agents). */
  teamStartAgain: (teamId: number, sessionId: number): string => `/teams/${teamId}?again=${sessionId}#start-session-form`,
  teamInvite: (id: number): string => `/teams/${id}/invite`,
  teamSettings: (id: number): string => `/teams/${id}/settings`,
  teamDetails: (id: number): string => `/teams/${id}/settings/team`,
  teamShare: (id: number): string => `/teams/${id}/share`,
  teamUnshare: (id: number): string => `/teams/${id}/unshare`,
  teamDelete: (id: number): string => `/teams/${id}/delete`,
  memberRole: (teamId: number, userId: number): string => `/teams/${teamId}/members/${userId}/role`,
  memberRemove: (teamId: number, userId: number): string => `/teams/${teamId}/members/${userId}/remove`,
  sessions: (): string => '/sessions',
  session: (id: number): string => `/sessions/${id}`,
  sessionStream: (id: number): string => `/sessions/${id}/stream`,
  sessionSocket: (id: number): string => `/ws/sessions/${id}`,
  sessionReplay: (id: number, step?: number): string =>
    step === undefined ? `/sessions/${id}/replay` : `/sessions/${id}/replay?step=${step}`,
  /** The replay playing from event `step`: each page moves on one event a second. */
  sessionReplayPlaying: (id: number, step: number): string => `/sessions/${id}/replay?step=${step}&play=1`,
  sessionDocument: (id: number): string => `/sessions/${id}/document`,
  /** A role's section of the design document. */
  sessionDocumentRole: (id: number, role: string): string => `/sessions/${id}/document#role-${role.replace(/[^a-z0-9_]/gi, '-')}`,
  sessionExport: (id: number, format: 'md' | 'json'): string => `/api/sessions/${id}/export?format=${format}`,
  sessionComplete: (id: number): string => `/sessions/${id}/complete`,
  sessionCancel: (id: number): string => `/sessions/${id}/cancel`,
  sessionDecisions: (id: number): string => `/sessions/${id}/decisions`,
  sessionFork: (id: number): string => `/sessions/${id}/fork`,
  sessionDiff: (id: number, otherId: number): string => `/sessions/${id}/diff/${otherId}`,
  task: (id: number): string => `/tasks/${id}`,
  taskReview: (id: number): string => `/tasks/${id}/review`,
  sessionResume: (id: number): string => `/sessions/${id}/resume`,
  decisions: (): string => '/decisions',
  dashboard: (): string => '/dashboard',
} as const
