/**
 * Which callback URLs cutroom may POST to. A webhook is a request the server makes on a tenant's behalf, so
 * without a guard a tenant could make it reach the server's own network (SSRF): the metadata service at
 * 169.254.169.254, an admin port on 127.0.0.1, a database on 10.x. Only http(s) URLs are taken, and every
 * address the host resolves to must be public unless the operator's allow-list (CUTROOM_WEBHOOK_ALLOW) permits
 * it. The check runs at submission and again at each delivery, on the addresses resolved then; the delivery
 * connects to the address that was checked (webhook-post.ts), so a DNS answer that changes between the check and
 * the connection (DNS rebinding) cannot slip a private address in.
 */
import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup } from 'node:dns/promises';
import { cutroomError } from '../../errors.js';

/** Ranges never reachable by a webhook unless allow-listed (IANA special-purpose registries). */
const FORBIDDEN = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network", includes the unspecified 0.0.0.0
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, includes broadcast
] as const)
  FORBIDDEN.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b::', 96], // NAT64: embeds an IPv4 address
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const)
  FORBIDDEN.addSubnet(net, prefix, 'ipv6');

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** How host names are resolved: dns.lookup (the system resolver, /etc/hosts included) unless a test injects one. */
export type WebhookResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface WebhookPolicy {
  /** Host names (exact, case-insensitive) whose addresses may be private. */
  allowHosts: ReadonlySet<string>;
  /** Addresses and CIDR ranges that may be used although private. */
  allowAddresses: BlockList;
  resolve: WebhookResolver;
}

export const systemResolver: WebhookResolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

/** `::ffff:10.0.0.1` (an IPv4 address in IPv6 clothing) is judged as the IPv4 address it is. */
function unmapped(address: string): ResolvedAddress {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (m) return { address: m[1]!, family: 4 };
  return { address, family: isIP(address) === 6 ? 6 : 4 };
}

function familyName(family: 4 | 6): 'ipv4' | 'ipv6' {
  return family === 6 ? 'ipv6' : 'ipv4';
}

/** True for private, loopback, link-local, multicast, unspecified and other special-purpose addresses. */
export function isForbiddenAddress(address: string): boolean {
  const a = unmapped(address);
  if (isIP(a.address) === 0) return true;
  return FORBIDDEN.check(a.address, familyName(a.family));
}

/**
 * The allow-list from a setting such as `127.0.0.1,localhost,10.0.0.0/8,::1`: entries are host names, IP
 * addresses or CIDR ranges, separated by commas or whitespace. An entry that is none of these is refused
 * (a typo must not silently allow nothing, or everything).
 */
export function webhookPolicy({
  allow,
  resolve = systemResolver,
}: {
  allow?: string | undefined;
  resolve?: WebhookResolver;
}): WebhookPolicy {
  const allowHosts = new Set<string>();
  const allowAddresses = new BlockList();
  for (const raw of (allow ?? '').split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    const cidr = /^(.+)\/(\d{1,3})$/.exec(entry);
    if (cidr && isIP(cidr[1]!) !== 0) {
      const family = isIP(cidr[1]!) === 6 ? 6 : 4;
      const prefix = Number(cidr[2]);
      if (prefix > (family === 6 ? 128 : 32)) throw badAllowEntry(raw);
      allowAddresses.addSubnet(cidr[1]!, prefix, familyName(family));
    } else if (isIP(entry) !== 0) {
      const a = unmapped(entry);
      allowAddresses.addAddress(a.address, familyName(a.family));
    } else if (/^[a-z0-9]([a-z0-9-]{0,62})(\.[a-z0-9]([a-z0-9-]{0,62}))*$/.test(entry)) {
      allowHosts.add(entry);
    } else throw badAllowEntry(raw);
  }
  return { allowHosts, allowAddresses, resolve };
}

function badAllowEntry(entry: string) {
  return cutroomError(
    'VALIDATION_FAILED',
    `CUTROOM_WEBHOOK_ALLOW entry "${entry}" is not a host name, IP address or CIDR range`,
    { issues: [{ path: 'CUTROOM_WEBHOOK_ALLOW', message: `bad entry "${entry}"` }] },
  );
}

export function webhookPolicyFromEnv(env: NodeJS.ProcessEnv): WebhookPolicy {
  return webhookPolicy({ allow: env.CUTROOM_WEBHOOK_ALLOW });
}

export interface CheckedWebhookUrl {
  url: URL;
  /** The addresses the host resolved to, all permitted; a delivery connects to the first. */
  addresses: ResolvedAddress[];
}

const MAX_URL_LENGTH = 2048;

/** Parses a callback URL (WEBHOOK_URL_INVALID) without resolving it. */
export function parseWebhookUrl({ url, path }: { url: string; path: string }): URL {
  const invalid = (message: string) => cutroomError('WEBHOOK_URL_INVALID', message, { path });
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_URL_LENGTH)
    throw invalid(`${path} must be an http(s) URL of at most ${MAX_URL_LENGTH} characters`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(`${path} is not an absolute URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw invalid(`${path} must use http or https, not ${parsed.protocol.replace(/:$/, '')}`);
  // Credentials would be stored with the job and shown on it; the signature authenticates cutroom instead.
  if (parsed.username !== '' || parsed.password !== '')
    throw invalid(`${path} must not carry credentials (user:password@); verify the signature instead`);
  if (parsed.hostname === '') throw invalid(`${path} has no host`);
  return parsed;
}

/**
 * Resolves the URL's host and checks every address: WEBHOOK_URL_INVALID when it does not resolve,
 * WEBHOOK_ADDRESS_FORBIDDEN when an address is special-purpose and neither the host nor the address is
 * allow-listed.
 */
export async function checkWebhookUrl({
  url,
  policy,
  path = 'callback_url',
}: {
  url: string;
  policy: WebhookPolicy;
  path?: string;
}): Promise<CheckedWebhookUrl> {
  const parsed = parseWebhookUrl({ url, path });
  // URL keeps IPv6 literals in brackets: [::1].
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  let addresses: ResolvedAddress[];
  if (isIP(host) !== 0) addresses = [{ address: host, family: isIP(host) === 6 ? 6 : 4 }];
  else {
    try {
      addresses = await policy.resolve(host);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0)
      throw cutroomError('WEBHOOK_URL_INVALID', `${path}: host ${host} does not resolve`, { path, host });
  }
  const hostAllowed = policy.allowHosts.has(host);
  for (const a of addresses) {
    if (hostAllowed || !isForbiddenAddress(a.address)) continue;
    const u = unmapped(a.address);
    if (policy.allowAddresses.check(u.address, familyName(u.family))) continue;
    throw cutroomError(
      'WEBHOOK_ADDRESS_FORBIDDEN',
      `${path}: ${host} resolves to ${a.address}, a private or special-purpose address; an operator can permit it with CUTROOM_WEBHOOK_ALLOW`,
      { path, host, address: a.address },
    );
  }
  return { url: parsed, addresses };
}
