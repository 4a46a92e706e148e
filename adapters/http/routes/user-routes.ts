import Router from '@koa/router';
import type { Context } from 'koa';
import type { AuthenticateUser, Authenticated } from '../../../application/use-cases/authenticate-user.js';
import type { DeleteCurrentUser } from '../../../application/use-cases/delete-current-user.js';
import type { EndSession } from '../../../application/use-cases/end-session.js';
import type { ListSessions } from '../../../application/use-cases/list-sessions.js';
import type { UpdateCurrentUser } from '../../../application/use-cases/update-current-user.js';
import { bearerAuth } from '../middleware/bearer-auth.js';
import { parseBody } from '../parse-body.js';
import { UpdateUserRequest } from '../schemas.js';
import { presentSession, presentUser } from '../user-presenter.js';

export function userRoutes(useCases: {
  authenticateUser: AuthenticateUser;
  updateCurrentUser: UpdateCurrentUser;
  deleteCurrentUser: DeleteCurrentUser;
  listSessions: ListSessions;
  endSession: EndSession;
}): Router {
  const router = new Router();
  const authenticated = bearerAuth(useCases.authenticateUser);
  const auth = (ctx: Context) => ctx.state.auth as Authenticated;

  router.get('/users/me', authenticated, (ctx) => {
    ctx.body = presentUser(auth(ctx).user);
  });

  router.put('/users/me', authenticated, async (ctx) => {
    const body = parseBody(ctx, UpdateUserRequest, ['json']);
    if (!body) return;
    const user = await useCases.updateCurrentUser.execute(auth(ctx).user, {
      email: body.email,
      username: body.username,
      password: body.password,
      currentPassword: body.current_password,
    });
    ctx.body = presentUser(user);
  });

  router.delete('/users/me', authenticated, async (ctx) => {
    await useCases.deleteCurrentUser.execute(auth(ctx).user);
    ctx.status = 204;
  });

  router.get('/users/me/sessions', authenticated, async (ctx) => {
    const { user, session: current } = auth(ctx);
    const sessions = await useCases.listSessions.execute(user);
    ctx.body = sessions.map((session) => presentSession(session, current.id));
  });

  router.delete('/users/me/sessions/:id', authenticated, async (ctx) => {
    // Any string: a store answers "no such session" for an id that is not a UUID, as for an unknown one.
    await useCases.endSession.execute(auth(ctx).user, ctx.params.id!);
    ctx.status = 204;
  });

  return router;
}
