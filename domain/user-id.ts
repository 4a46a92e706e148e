import { randomBytes } from 'node:crypto';

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type UserId = string;

export function isUserId(value: string): value is UserId {
  return isUuid(value);
}

/** Lower-case hex, as every id here is written: an upper-case spelling names nothing. */
export function isUuid(value: string): boolean {
  return UUID_SHAPE.test(value);
}

export function newUserId(now: Date): UserId {
  return newTimeOrderedId(now);
}

/**
 * A UUIDv7 (RFC 9562 §5.7): 48 bits of milliseconds, then 74 random bits. Ids that grow with time keep
 * the primary-key index append-mostly, and they still reveal nothing about how many users exist.
 */
export function newTimeOrderedId(now: Date): string {
  const bytes = randomBytes(16);
  const ms = BigInt(now.getTime());
  for (let i = 0; i < 6; i++) bytes[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
