import { Button, ConfirmForm, CsrfField, RoleBadge, TimeText } from '../components/index.ts'
import { paths } from '../paths.ts'
import type { MemberView, TeamView } from '../view-types.ts'

/** Props of {@link TeamMembers}. */
export interface TeamMembersProps {
  team: TeamView
  members: MemberView[]
  viewer_id: number
  csrf_token: string | null
}

/**
 * The member table. Owners get a role select and a remove button on every other member's row;
 * anyone but the owner gets a "Leave team" button on their own row.
 */
export function TeamMembers(props: TeamMembersProps): JSX.Element {
  const isOwner = props.team.role === 'owner'
  return (
    <div class="table-wrap">
      <table class="table">
        <caption class="sr-only">Team members</caption>
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Role</th>
            <th scope="col" class="hidden sm:table-cell">
              Joined
            </th>
            <th scope="col">
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.members.map((m) => {
            const self = m.user_id === props.viewer_id
            const manageable = isOwner && m.role !== 'owner'
            const roleId = `member-${m.user_id}-role`
            return (
              <tr>
                <th scope="row">
                  <span safe>{m.username}</span>
                  {self ? <span class="muted"> (you)</span> : ''}
                </th>
                <td>
                  {manageable ? (
                    <form method="post" action={paths.memberRole(props.team.id, m.user_id)} class="inline-form">
                      <CsrfField token={props.csrf_token} />
                      <label for={roleId} class="sr-only" safe>
                        {`Role of ${m.username}`}
                      </label>
                      <select id={roleId} name="role" class="input input-small">
                        <option value="member" selected={m.role === 'member'}>
                          Member
                        </option>
                        <option value="viewer" selected={m.role === 'viewer'}>
                          Viewer
                        </option>
                      </select>
                      <Button variant="secondary" class="btn-small">
                        Save<span class="sr-only" safe>{` role of ${m.username}`}</span>
                      </Button>
                    </form>
                  ) : (
                    <RoleBadge role={m.role} />
                  )}
                </td>
                <td class="hidden sm:table-cell">
                  <TimeText iso={m.joined_at} />
                </td>
                <td class="text-right">
                  {manageable || (self && m.role !== 'owner') ? (
                    <ConfirmForm
                      action={paths.memberRemove(props.team.id, m.user_id)}
                      csrf_token={props.csrf_token}
                      confirm={self ? 'Leave this team?' : `Remove ${m.username} from the team?`}
                    >
                      <Button variant="ghost" class="btn-small">
                        {self ? (
                          'Leave team'
                        ) : (
                          <>
                            Remove<span class="sr-only" safe>{` ${m.username}`}</span>
                          </>
                        )}
                      </Button>
                    </ConfirmForm>
                  ) : (
                    ''
                  )}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
