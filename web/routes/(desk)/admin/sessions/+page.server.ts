import { fail } from '@sveltejs/kit';
import type { DeskSessionView } from '$contract';
import { deskProblem, failAction } from '$lib/server/actions';
import { apiClient, failLoad, isApiError } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

/** One row per user: their live sessions together (an administrator ends them all at once). */
export interface UserSessions {
  user: DeskSessionView['user'];
  roles: string[];
  count: number;
  lastSeenAt: string;
  expiresAt: string;
}

function byUser(items: readonly DeskSessionView[]): UserSessions[] {
  const users = new Map<string, UserSessions>();
  for (const s of items) {
    const known = users.get(s.user.id);
    if (!known) {
      users.set(s.user.id, { user: s.user, roles: s.roles, count: 1, lastSeenAt: s.lastSeenAt, expiresAt: s.expiresAt });
      continue;
    }
    known.count += 1;
    if (s.lastSeenAt > known.lastSeenAt) known.lastSeenAt = s.lastSeenAt;
    if (s.expiresAt > known.expiresAt) known.expiresAt = s.expiresAt;
  }
  return [...users.values()];
}

export const load: PageServerLoad = async ({ fetch, url }) => {
  try {
    const { items } = await apiClient(fetch).deskSessions();
    return { users: byUser(items), forbidden: false };
  } catch (e) {
    if (isApiError(e) && e.status === 403) return { users: [], forbidden: true };
    failLoad(e, url);
  }
};

export const actions: Actions = {
  end: async ({ fetch, request, url }) => {
    const userId = (await request.formData()).get('userId');
    if (typeof userId !== 'string' || userId === '') return fail(400, { problem: deskProblem(400, 'user_id_required', 'userId: is required') });
    try {
      const { ended } = await apiClient(fetch).endUserSessions(userId);
      return { ended: { userId, count: ended } };
    } catch (e) {
      return failAction(e, url);
    }
  },
};
