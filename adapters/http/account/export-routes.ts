import { z } from 'zod';
import { requestOrigin } from '../request-origin.js';
import { defineApiRoute } from '../routes/api-dependencies.js';

const DataExportResponse = z
  .looseObject({
    exported_at: z.iso.datetime(),
    user_id: z.uuid(),
    profile: z.record(z.string(), z.unknown()),
    sessions: z.array(z.record(z.string(), z.unknown())),
    security_history: z.array(z.record(z.string(), z.unknown())),
    two_factor: z.record(z.string(), z.unknown()),
    passkeys: z.array(z.record(z.string(), z.unknown())),
  })
  .meta({
    id: 'DataExport',
    description: 'One member per section; features add theirs (passkeys, identities, grants). Metadata only: no password, hash, secret, token or code.',
  });

/** GDPR Art. 15 and 20: the user's own data, as a file to keep. */
export const exportRoutes = [
  defineApiRoute({
    method: 'get',
    path: '/users/me/export',
    operationId: 'exportMyData',
    tag: 'users',
    summary: 'Everything the service keeps about the current user, as a JSON file',
    description: 'Profile, open sessions, security history, two-factor and passkey metadata. A sensitive action: it needs a fresh authentication.',
    bearer: true,
    rateLimited: true,
    noStore: true,
    errors: ['insufficient_user_authentication'],
    responses: { 200: { description: 'The export, as an attachment', content: { 'application/json': DataExportResponse } } },
    handle: async ({ auth, ctx }, { exportMyData }) => {
      const document = await exportMyData.execute(auth, requestOrigin(ctx));
      const day = document.exported_at.slice(0, 10);
      return { status: 200, body: document, headers: { 'Content-Disposition': `attachment; filename="account-export-${day}.json"` } };
    },
  }),
];
