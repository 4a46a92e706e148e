import { isIP } from 'node:net';
import { ContainerModule } from 'inversify';
import type { Context } from 'koa';
import { BrowserSessions } from '../../adapters/http/browser-session/browser-sessions.js';
import { PageAssets } from '../../adapters/http/pages/assets.js';
import type { DevMailbox, PagesDependencies } from '../../adapters/http/pages/pages-routes.js';
import { readDevelopmentOutbox } from '../../adapters/nodemailer/development-outbox.js';
import { ResumeSession } from '../../application/index.js';
import { cookiesNeedSecure, loadBrowserSessionKeys } from '../browser-session-keys.js';
import type { Config } from '../config.js';
import { TOKENS } from '../tokens.js';
import { developmentOutboxDirectory } from './mail-module.js';

/** Browser sessions (the cookie and its CSRF rules) and the pages for people. */
export const pagesModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.ResumeSession).toResolvedValue((sessions, clock) => new ResumeSession(sessions, clock), [TOKENS.SessionRepository, TOKENS.Clock]);
  bind(TOKENS.BrowserSessions).toDynamicValue(async ({ getAsync }) => {
    const config = await getAsync(TOKENS.Config);
    const address = await getAsync(TOKENS.PublicAddress);
    const { cookieKey, csrfKey } = await loadBrowserSessionKeys(config);
    let allowed: { url: string; origins: ReadonlySet<string> } | undefined;
    return new BrowserSessions(await getAsync(TOKENS.ResumeSession), {
      secure: cookiesNeedSecure(config, address.url),
      // PUBLIC_URL's origin (its port known once listening when PORT=0) and CORS_ORIGINS.
      allowedOrigins: () => {
        if (allowed?.url !== address.url) allowed = { url: address.url, origins: new Set([address.origin, ...config.corsOrigins]) };
        return allowed.origins;
      },
      cookieKey,
      csrfKey,
    });
  });
  bind(TOKENS.Pages).toDynamicValue(async ({ getAsync }): Promise<PagesDependencies> => {
    const config = await getAsync(TOKENS.Config);
    return {
      sessions: await getAsync(TOKENS.BrowserSessions),
      assets: new PageAssets(),
      clock: await getAsync(TOKENS.Clock),
      registerUser: await getAsync(TOKENS.RegisterUser),
      logIn: await getAsync(TOKENS.LogIn),
      completeMfaLogIn: await getAsync(TOKENS.CompleteMfaLogIn),
      authenticateUser: await getAsync(TOKENS.AuthenticateUser),
      logOut: await getAsync(TOKENS.LogOut),
      listSessions: await getAsync(TOKENS.ListSessions),
      endSession: await getAsync(TOKENS.EndSession),
      updateCurrentUser: await getAsync(TOKENS.UpdateCurrentUser),
      enrolTotp: await getAsync(TOKENS.EnrolTotp),
      confirmTotp: await getAsync(TOKENS.ConfirmTotp),
      disableTotp: await getAsync(TOKENS.DisableTotp),
      listMyEvents: await getAsync(TOKENS.ListMyEvents),
      requestVerification: await getAsync(TOKENS.RequestVerification),
      verifyEmail: await getAsync(TOKENS.VerifyEmail),
      requestPasswordReset: await getAsync(TOKENS.RequestPasswordReset),
      resetPassword: await getAsync(TOKENS.ResetPassword),
      revertEmail: await getAsync(TOKENS.RevertEmail),
      requireVerifiedEmail: config.mail.requireVerifiedEmail,
      devMailbox: developmentMailbox(config),
    };
  });
});

/**
 * `/dev/mail` shows reset and verification links, so it exists only when nothing but this machine can reach it:
 * development, the development outbox (no SMTP_URL), a loopback listener; and per request, a loopback peer and no
 * forwarding header (a reverse proxy on this machine would make every visitor look local).
 */
export function developmentMailbox(config: Pick<Config, 'env' | 'smtpUrl' | 'host' | 'dataDir'>): DevMailbox | undefined {
  if (config.env !== 'development' || config.smtpUrl !== undefined || !isLoopback(config.host)) return undefined;
  const directory = developmentOutboxDirectory(config.dataDir);
  return {
    list: () => readDevelopmentOutbox(directory),
    admits: (ctx: Context) => isLoopback(ctx.req.socket.remoteAddress ?? '') && !FORWARDING_HEADERS.some((name) => ctx.get(name) !== ''),
  };
}

const FORWARDING_HEADERS = ['Forwarded', 'X-Forwarded-For', 'X-Forwarded-Host', 'X-Forwarded-Proto', 'X-Real-IP', 'X-Client-IP', 'CF-Connecting-IP', 'True-Client-IP'];

export function isLoopback(host: string): boolean {
  const address = host.replace(/^\[|\]$/g, '').replace(/^::ffff:/, '');
  if (address === 'localhost' || address === '::1') return true;
  return isIP(address) === 4 && address.startsWith('127.');
}
