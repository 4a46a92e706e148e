import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { ForbiddenWebhookTarget } from '../../application/webhooks/webhook-errors.js';
import type { CheckedTarget, WebhookTargetGuard } from '../../application/webhooks/webhook-target-guard.js';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

/** Every address a host name resolves to (A and AAAA), as the operating system's resolver answers. */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export const systemResolver: HostResolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

export interface TargetGuardOptions {
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS: any address may be reached (tests, private networks). */
  readonly allowPrivate: boolean;
  readonly resolve?: HostResolver;
}

/**
 * Server-side request forgery rule with ipaddr.js's table of IANA special-purpose ranges: only an address whose
 * range is plain `unicast` may be reached. That refuses loopback, RFC 1918, CGNAT (100.64/10), link-local and
 * with it 169.254.169.254 (cloud metadata), 0.0.0.0/8, multicast, broadcast, the reserved and documentation
 * blocks, fc00::/7, and every IPv6 form that embeds an IPv4 address (mapped, NAT64, 6to4, Teredo); IPv4-compatible
 * `::a.b.c.d` (deprecated, not in the table) is refused by hand. The URL parser has already turned odd IPv4
 * spellings (`2130706433`, `0x7f.1`, `017700000001`) into dotted quads. A host name is refused when any address it
 * resolves to is refused, and the address checked is the one connected to (`CheckedTarget`).
 */
export class IpaddrWebhookTargetGuard implements WebhookTargetGuard {
  readonly #resolve: HostResolver;

  constructor(private readonly options: TargetGuardOptions) {
    this.#resolve = options.resolve ?? systemResolver;
  }

  async check(raw: string): Promise<CheckedTarget> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ForbiddenWebhookTarget('The URL is not valid');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ForbiddenWebhookTarget('The URL must be http or https');
    if (url.username !== '' || url.password !== '') throw new ForbiddenWebhookTarget('The URL must not carry credentials');
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    let addresses: readonly ResolvedAddress[];
    if (ipaddr.isValid(host)) {
      addresses = [{ address: host, family: host.includes(':') ? 6 : 4 }];
    } else {
      try {
        addresses = await this.#resolve(host);
      } catch {
        throw new ForbiddenWebhookTarget('The host name does not resolve');
      }
      if (addresses.length === 0) throw new ForbiddenWebhookTarget('The host name does not resolve');
    }
    if (!this.options.allowPrivate) {
      for (const { address } of addresses) {
        if (isSpecialPurpose(address)) throw new ForbiddenWebhookTarget();
      }
    }
    const first = addresses[0]!;
    return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
  }
}

/** True unless ipaddr.js files the address under plain `unicast`; an address it cannot parse counts as special. */
export function isSpecialPurpose(address: string): boolean {
  if (!ipaddr.isValid(address)) return true;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const parts = (parsed as ipaddr.IPv6).parts;
    // ::/96, IPv4-compatible (RFC 4291 §2.5.5.1, deprecated): ::7f00:1 is 127.0.0.1 to some stacks.
    if (parts.slice(0, 6).every((part) => part === 0)) return true;
  }
  return parsed.range() !== 'unicast';
}
