import { z } from 'zod';
import { defineApiRoute } from '../routes/api-dependencies.js';
import { InvalidToken } from '../../../domain/index.js';

export const CsrfTokenResponse = z
  .object({ csrf_token: z.string().meta({ description: 'Send it as the X-CSRF-Token header of every unsafe request made with the session cookie' }) })
  .meta({ id: 'CsrfTokenResponse' });

export const browserSessionRoutes = [
  defineApiRoute({
    method: 'get',
    path: '/auth/csrf',
    operationId: 'getCsrfToken',
    tag: 'auth',
    summary: 'The CSRF token of the browser session',
    description:
      'For a browser app on an origin in PUBLIC_URL or CORS_ORIGINS that calls the API with the session cookie of the pages instead of a bearer token: every POST, PUT, PATCH and DELETE it makes sends this token in `X-CSRF-Token`, or is refused with 403. The token is bound to the session and stays the same for its life. This route takes the session cookie only: a bearer token has no CSRF token (it needs none), so it gets 401.',
    bearer: true,
    rateLimited: true,
    noStore: true,
    responses: { 200: { description: "The session's CSRF token", content: { 'application/json': CsrfTokenResponse } } },
    handle: ({ ctx }) => {
      const state = ctx.state.browserSession as { csrfToken: string } | undefined;
      if (!state) throw new InvalidToken('Only a request authenticated by the session cookie has a CSRF token');
      return { status: 200, body: { csrf_token: state.csrfToken } };
    },
  }),
];
