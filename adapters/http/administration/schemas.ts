import { z } from 'zod';
import { AUDIT_EVENT_TYPES, EMAIL_MAX_LENGTH } from '../../../domain/index.js';
import { email, username, password, presentedPassword, secondFactorCode, UserResponse, AuditEventResponse } from '../schemas.js';

export const AdminUpdateUserRequest = z
  .object({
    email: email.optional(),
    username: username.optional(),
    password: password.optional(),
    is_active: z.boolean().optional().meta({ description: 'false ends every session of the user at once' }),
    is_verified: z.boolean().optional().meta({ description: 'set by hand, for an address verified another way' }),
    is_superuser: z.boolean().optional(),
    mfa_enabled: z.boolean().optional().meta({ description: 'Refused with 422: DELETE /users/{id}/mfa removes the second factors' }),
    current_password: presentedPassword.optional().meta({ description: "The superuser's own password, when its session is not fresh (REAUTH_MAX_AGE_SECONDS)" }),
    code: secondFactorCode.optional().meta({ description: "With current_password, when the superuser's two-factor log-in is on" }),
  })
  .meta({
    id: 'AdminUpdateUserRequest',
    description: 'Any of the fields. A new password or is_active false ends every session of the user; the last active superuser cannot be demoted or deactivated.',
  });

/** The opaque cursor of a keyset page: sent back as it came. */
const cursor = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_-]*$/, { error: 'Must be a next_cursor this service gave' })
  .optional()
  .meta({ description: 'The `next_cursor` of the previous page; absent for the first' });
const limit = z.coerce.number().int().min(1).max(100).default(20).meta({ format: 'int32', description: 'Items per page' });

export const UserListQuery = z.object({
  q: z.string().max(EMAIL_MAX_LENGTH).optional().meta({ description: 'A prefix of the email or the username, in any case' }),
  limit,
  cursor,
});

export const PageQuery = z.object({ limit, cursor });

export const AuditEventQuery = z.object({
  user_id: z.uuid().max(36).optional().meta({ description: 'Only events about this account' }),
  type: z.enum(AUDIT_EVENT_TYPES).optional(),
  limit,
  cursor,
});

const nextCursor = z.string().optional().meta({ description: 'Pass as `cursor` for the next page; absent on the last page' });

export const UserPageResponse = z.object({ items: z.array(UserResponse), next_cursor: nextCursor }).meta({ id: 'UserPage' });

export const AuditEventPageResponse = z.object({ items: z.array(AuditEventResponse), next_cursor: nextCursor }).meta({ id: 'AuditEventPage' });
