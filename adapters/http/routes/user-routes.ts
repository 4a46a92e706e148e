import Router from '@koa/router';
import type { AuthenticateUser } from '../../../application/use-cases/authenticate-user.js';
import type { DeleteCurrentUser } from '../../../application/use-cases/delete-current-user.js';
import type { UpdateCurrentUser } from '../../../application/use-cases/update-current-user.js';
import type { User } from '../../../domain/index.js';
import { bearerAuth } from '../middleware/bearer-auth.js';
import { parseBody } from '../parse-body.js';
import { UpdateUserRequest } from '../schemas.js';
import { presentUser } from '../user-presenter.js';

export function userRoutes(useCases: {
  authenticateUser: AuthenticateUser;
  updateCurrentUser: UpdateCurrentUser;
  deleteCurrentUser: DeleteCurrentUser;
}): Router {
  const router = new Router();
  const authenticated = bearerAuth(useCases.authenticateUser);

  router.get('/users/me', authenticated, (ctx) => {
    ctx.body = presentUser(ctx.state.user as User);
  });

  router.put('/users/me', authenticated, async (ctx) => {
    const body = parseBody(ctx, UpdateUserRequest, ['json']);
    if (!body) return;
    const user = await useCases.updateCurrentUser.execute(ctx.state.user as User, {
      email: body.email,
      username: body.username,
      password: body.password,
      currentPassword: body.current_password,
    });
    ctx.body = presentUser(user);
  });

  router.delete('/users/me', authenticated, async (ctx) => {
    await useCases.deleteCurrentUser.execute(ctx.state.user as User);
    ctx.status = 204;
  });

  return router;
}
