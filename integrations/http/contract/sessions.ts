/** Desk sessions: administrators see who is signed in and end a user's sessions at once. */
import * as v from 'valibot';
import { count, dateTime, ex, id } from './common';
import { defineRoute, json } from './define';
import { str } from './fields';

export const deskSessionSchema = v.object({
  id,
  /** The IdP's subject and display name. */
  user: v.object({ id: v.string(), name: v.string() }),
  roles: v.array(v.string()),
  createdAt: dateTime,
  lastSeenAt: dateTime,
  /** The absolute end (SESSION_MAX_AGE after login); idleness may end it sooner. */
  expiresAt: dateTime,
});

export const deskSessionListSchema = v.object({ items: v.array(deskSessionSchema) });
export const endedSessionsSchema = v.object({ userId: v.string(), ended: count });

const admins = { kind: 'restricted', roles: ['admin'] } as const;

export const sessionRoutes = {
  listDeskSessions: defineRoute({
    operationId: 'listDeskSessions',
    method: 'get',
    path: '/v1/sessions',
    tag: 'Session',
    summary: 'The live desk sessions, ordered by user (administrators)',
    access: admins,
    responses: {
      200: json(deskSessionListSchema, 'Sessions neither ended nor timed out', {
        example: {
          items: [
            {
              id: 'a3b4c5d6-e7f8-4a9b-8c0d-1e2f3a4b5c6d',
              user: { id: ex.userId, name: 'Kaisa Käsittelijä' },
              roles: ['caseworker'],
              createdAt: '2025-03-14T07:58:00.000Z',
              lastSeenAt: '2025-03-14T09:12:00.000Z',
              expiresAt: '2025-03-14T17:58:00.000Z',
            },
          ],
        },
      }),
    },
    problems: [401, 403],
  }),
  endUserSessions: defineRoute({
    operationId: 'endUserSessions',
    method: 'delete',
    path: '/v1/users/{userId}/sessions',
    tag: 'Session',
    summary: "End every desk session of a user at once (administrators; audited): the user's next request answers 401",
    access: admins,
    params: v.object({ userId: v.pipe(str(), v.minLength(1, 'is required'), v.maxLength(255)) }),
    responses: { 200: json(endedSessionsSchema, 'How many sessions ended (0 when the user had none)', { example: { userId: ex.userId, ended: 2 } }) },
    problems: [400, 401, 403],
  }),
};
