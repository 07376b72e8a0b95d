import dns from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, request } from 'undici';
import { StreamLimitError, type TempFiles } from '../storage/temp-files.js';

export type DownloadErrorCode =
  | 'public_url_invalid'
  | 'public_url_private_address'
  | 'public_url_unreachable'
  | 'public_url_http_error'
  | 'public_url_too_large'
  | 'public_url_timeout'
  | 'public_url_too_many_redirects';

export class DownloadError extends Error {
  constructor(
    readonly code: DownloadErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Only globally routable unicast addresses: no loopback, private, link-local (cloud metadata), CGNAT... */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) parsed = v6.toIPv4Address();
    // The deprecated IPv4-compatible form ::a.b.c.d, which ipaddr.js calls unicast, can route to IPv4.
    else if (v6.parts.slice(0, 6).every((part) => part === 0)) return false;
  }
  return parsed.range() === 'unicast';
}

export interface AddressPolicy {
  allows(address: string): boolean;
}

export function addressPolicy(allowPrivateNetworks: boolean): AddressPolicy {
  return { allows: (address) => allowPrivateNetworks || isPublicAddress(address) };
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A DNS lookup that refuses names resolving to addresses the policy forbids (checked at connect time). */
function guardedLookup(policy: AddressPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = addresses.find((a) => !policy.allows(a.address));
      if (refused) {
        const denial = Object.assign(new Error(`${hostname} resolves to ${refused.address}, which is not public`), {
          code: 'PRIVATE_ADDRESS',
        });
        return callback(denial, []);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}

/** An HTTP agent that connects only to addresses the policy allows, checked after DNS resolution. */
export function publicOnlyAgent(policy: AddressPolicy): Agent {
  return new Agent({ connect: { lookup: guardedLookup(policy) } });
}

/** Whether a failed request was refused by publicOnlyAgent's address check. */
export function isPrivateAddressRefusal(error: unknown): boolean {
  return hasCode(error, 'PRIVATE_ADDRESS');
}

/** Refuses what can be refused before connecting: bad schemes and literal private addresses. */
export function checkPublicUrl(raw: string, policy: AddressPolicy): URL {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new DownloadError('public_url_invalid', 'public_url is not a valid URL.');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new DownloadError('public_url_invalid', 'public_url must use http or https.');
  }
  if (parsed.username || parsed.password) {
    throw new DownloadError('public_url_invalid', 'public_url must not carry credentials.');
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host) && !policy.allows(host)) {
    throw new DownloadError('public_url_private_address', `public_url points at ${host}, which is not a public address.`);
  }
  return parsed;
}

/**
 * checkPublicUrl plus a DNS look-up, for an early answer when a client registers a URL. The worker
 * checks again when it connects, since the name may resolve elsewhere by then.
 */
export async function checkPublicHost(raw: string, policy: AddressPolicy): Promise<URL> {
  const url = checkPublicUrl(raw, policy);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host)) return url;
  const addresses = await dns.promises.lookup(host, { all: true }).catch(() => []);
  const refused = addresses.find((a) => !policy.allows(a.address));
  if (refused) {
    throw new DownloadError('public_url_private_address', `${host} resolves to ${refused.address}, which is not a public address.`);
  }
  return url;
}

function hasCode(error: unknown, code: string): boolean {
  for (let e: unknown = error; e instanceof Error; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === code) return true;
  }
  return false;
}

export interface PublicDownloadOptions {
  policy: AddressPolicy;
  tempFiles: TempFiles;
  maxBytes: number;
  timeoutMs: number;
  maxRedirects?: number;
}

/**
 * Downloads a URL to a temp file, only from public addresses: every hop of a redirect is checked,
 * and names are checked after DNS resolution at connect time, so rebinding cannot reach inside.
 */
export async function downloadPublicUrl(
  raw: string,
  options: PublicDownloadOptions,
): Promise<{ path: string; size: number; finalUrl: URL }> {
  const dispatcher = publicOnlyAgent(options.policy);
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    let url = checkPublicUrl(raw, options.policy);
    for (let hop = 0; ; hop++) {
      const response = await request(url, { dispatcher, signal, method: 'GET', headers: { accept: '*/*' } }).catch(
        (error: unknown) => {
          if (isPrivateAddressRefusal(error)) {
            throw new DownloadError('public_url_private_address', `${url.hostname} resolves to a non-public address.`);
          }
          if (signal.aborted) throw new DownloadError('public_url_timeout', `No answer within ${options.timeoutMs} ms.`);
          throw new DownloadError('public_url_unreachable', `Could not connect to ${url.host}.`);
        },
      );
      const location = response.headers.location;
      if (response.statusCode >= 300 && response.statusCode < 400 && typeof location === 'string') {
        await response.body.dump();
        if (hop >= (options.maxRedirects ?? 5)) {
          throw new DownloadError('public_url_too_many_redirects', 'public_url redirects too many times.');
        }
        url = checkPublicUrl(new URL(location, url).toString(), options.policy);
        continue;
      }
      if (response.statusCode < 200 || response.statusCode >= 300) {
        await response.body.dump();
        throw new DownloadError('public_url_http_error', `public_url answered HTTP ${response.statusCode}.`);
      }
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        await response.body.dump();
        throw new DownloadError('public_url_too_large', `public_url is larger than ${options.maxBytes} bytes.`);
      }
      try {
        const written = await options.tempFiles.write(response.body, options.maxBytes);
        return { ...written, finalUrl: url };
      } catch (error) {
        if (error instanceof StreamLimitError) {
          throw new DownloadError('public_url_too_large', `public_url is larger than ${options.maxBytes} bytes.`);
        }
        if (signal.aborted) throw new DownloadError('public_url_timeout', `Download took longer than ${options.timeoutMs} ms.`);
        throw new DownloadError('public_url_unreachable', 'The download broke off.');
      }
    }
  } finally {
    await dispatcher.close();
  }
}
