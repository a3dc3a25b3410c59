import * as client from 'openid-client';
import type { ClientCredential } from '../clientCredential.ts';
import { clientAuthFor, type TokenEndpoint } from './clientAuthentication.ts';

/** Discovery documents change rarely; an hour keeps a sweep of thousands of connections to one fetch per org. */
const DISCOVERY_TTL_MS = 60 * 60 * 1000;
/** Okta answers in well under a second; ten seconds leaves room for a slow network without holding a sweep slot for long. */
const OKTA_TIMEOUT_SECONDS = 10;

export interface OktaOrgsOptions {
  /** Okta domain → origin to call instead of https://{domain} (never set in production). */
  originOverrides?: ReadonlyMap<string, string>;
  timeoutSeconds?: number;
  now?: () => number;
  /** Sees the headers of every answer from an org (rate-limit figures), by domain. */
  onResponse?: (domain: string, response: Response) => void;
}

/**
 * Where each Okta org lives and how to talk to its org authorization server with
 * openid-client. Only hosts accepted by `parseOktaDomain` ever reach here; an override
 * maps one of them to a local sandbox.
 */
export class OktaOrgs {
  private readonly discovered = new Map<
    string,
    { at: number; metadata: Promise<client.ServerMetadata> }
  >();
  private readonly overrides: ReadonlyMap<string, string>;
  private readonly timeoutSeconds: number;
  private readonly now: () => number;
  private readonly onResponse: ((domain: string, response: Response) => void) | undefined;

  constructor(options: OktaOrgsOptions = {}) {
    this.onResponse = options.onResponse;
    this.overrides = options.originOverrides ?? new Map();
    this.timeoutSeconds = options.timeoutSeconds ?? OKTA_TIMEOUT_SECONDS;
    this.now = options.now ?? Date.now;
  }

  /** The org's origin: `https://{domain}`, its issuer and the base of `/oauth2/v1` and `/api/v1`. */
  origin(domain: string): string {
    return this.overrides.get(domain) ?? `https://${domain}`;
  }

  /**
   * An openid-client configuration for one OAuth app of the org, authenticating with
   * `credential` at `endpoint` (none: only for building authorize URLs). Discovery is
   * cached per origin; a failed discovery is not cached, so the next attempt tries again.
   */
  async configuration(
    domain: string,
    clientId: string,
    credential?: ClientCredential,
    endpoint: TokenEndpoint = 'token',
  ): Promise<client.Configuration> {
    const origin = this.origin(domain);
    const metadata = await this.metadata(domain, origin);
    const config = new client.Configuration(
      metadata,
      clientId,
      undefined,
      credential ? await clientAuthFor(credential, metadata, endpoint, this.now) : client.None(),
    );
    config.timeout = this.timeoutSeconds;
    if (origin.startsWith('http:')) client.allowInsecureRequests(config);
    const observing = this.observingFetch(domain);
    if (observing) config[client.customFetch] = observing;
    return config;
  }

  /**
   * The org's discovery document, checked by openid-client (its `issuer` must be the
   * org's origin), from the cache when it is there.
   */
  discovery(domain: string): Promise<client.ServerMetadata> {
    return this.metadata(domain, this.origin(domain));
  }

  /** Passes an answer obtained outside openid-client (Management API) to the observer. */
  observe(domain: string, response: Response): void {
    this.onResponse?.(domain, response);
  }

  private async metadata(domain: string, origin: string): Promise<client.ServerMetadata> {
    const cached = this.discovered.get(origin);
    if (cached && this.now() - cached.at < DISCOVERY_TTL_MS) return cached.metadata;
    const metadata = this.discover(domain, origin);
    this.discovered.set(origin, { at: this.now(), metadata });
    metadata.catch(() => {
      if (this.discovered.get(origin)?.metadata === metadata) this.discovered.delete(origin);
    });
    return metadata;
  }

  private async discover(domain: string, origin: string): Promise<client.ServerMetadata> {
    const execute = origin.startsWith('http:') ? [client.allowInsecureRequests] : [];
    const observing = this.observingFetch(domain);
    const config = await client.discovery(new URL(origin), 'discovery', undefined, client.None(), {
      execute,
      timeout: this.timeoutSeconds,
      ...(observing ? { [client.customFetch]: observing } : {}),
    });
    return config.serverMetadata();
  }

  /** openid-client's fetch, passing every answer of the org to the observer (rate limits). */
  private observingFetch(domain: string) {
    const observe = this.onResponse;
    if (!observe) return undefined;
    return async (url: string, options: client.CustomFetchOptions) => {
      const response = await fetch(url, options as RequestInit);
      observe(domain, response);
      return response;
    };
  }
}
