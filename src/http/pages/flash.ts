import type { FlashView } from '../../views/index.ts'
import { readCookie } from '../request-auth.ts'

/** Name of the cookie that carries a one-off message to the page after a redirect. */
export const FLASH_COOKIE = 'sage_flash'

// The cookie holds only a key into this table, so nobody can put their own text on our pages.
const FLASHES = {
  welcome: { kind: 'success', message: 'Welcome! Your account is ready. Create a team to start a session.' },
  logged_in: { kind: 'success', message: 'You are logged in.' },
  logged_out: { kind: 'info', message: 'You are logged out.' },
  team_created: { kind: 'success', message: 'Team created. Start a session or invite people.' },
  member_invited: { kind: 'success', message: 'Invitation done: they are now in this team.' },
  role_changed: { kind: 'success', message: 'Role updated.' },
  member_removed: { kind: 'success', message: 'Member removed from the team.' },
  left_team: { kind: 'info', message: 'You left the team.' },
  session_completed: { kind: 'success', message: 'Session completed. Agents still working were cancelled.' },
  session_cancelled: { kind: 'info', message: 'Session cancelled.' },
  session_ended_already: { kind: 'info', message: 'That session had already ended.' },
  review_recorded: { kind: 'success', message: 'Verdict recorded.' },
  review_not_awaiting: { kind: 'info', message: 'That task is no longer awaiting review: another verdict came first.' },
  review_comment_required: { kind: 'error', message: 'A comment is required to request changes or to reject.' },
  session_resumed: { kind: 'success', message: 'Session resumed: what did not complete runs again.' },
  session_not_resumable: { kind: 'info', message: 'Only a failed or cancelled session can be resumed.' },
  decision_added: { kind: 'success', message: 'Decision added to the journal.' },
  settings_saved: { kind: 'success', message: 'Team settings saved: new sessions start with them.' },
  team_saved: { kind: 'success', message: 'Team name and description saved.' },
  team_shared: { kind: 'success', message: 'The team is shared: invite members and viewers below.' },
  team_unshared: { kind: 'info', message: 'The team is personal again: only you are in it.' },
  team_deleted: { kind: 'info', message: 'Team deleted, with its sessions and their records.' },
} as const satisfies Record<string, FlashView>

/** The keys of the flash messages. */
export type FlashKey = keyof typeof FLASHES

/** A `Set-Cookie` value that shows flash `key` on the next page (lives a minute at most). */
export function flashCookie(key: FlashKey): string {
  return `${FLASH_COOKIE}=${key}; Path=/; HttpOnly; SameSite=Lax; Max-Age=60`
}

/** A `Set-Cookie` value that removes the flash once shown. */
export function clearFlashCookie(): string {
  return `${FLASH_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`
}

/** The flash the request carries; null when none (or an unknown key). */
export function readFlash(request: Request): FlashView | null {
  const key = readCookie(request, FLASH_COOKIE)
  return key && Object.hasOwn(FLASHES, key) ? FLASHES[key as FlashKey] : null
}
