/**
 * Every scope the bot knows, grouped by resource for the scope picker. Sources
 * (research/okta-oauth-facts.md §2e): the OIDC scopes, the Management API spec's
 * `okta.*` and `ssf.*` scopes, and the OIDC & OAuth 2.0 API's `okta.clients.*`,
 * `okta.universalLogout.manage` and `okta.workflows.invoke.manage`. Descriptions are
 * shown as Slack option descriptions, hence one line of at most 75 characters.
 */
export interface ScopeInfo {
  name: string;
  /** The picker group (the resource), at most 75 characters. */
  group: string;
  description: string;
  /** `oidc`: granted automatically, no grant needed; `okta`: an API scope (`okta.*`, `ssf.*`) the app must be granted. */
  kind: 'oidc' | 'okta';
}

type Row = readonly [name: string, description: string];

const GROUPS: readonly (readonly [group: string, kind: ScopeInfo['kind'], rows: readonly Row[]])[] =
  [
    [
      'Sign-in (OpenID Connect, granted automatically)',
      'oidc',
      [
        ['openid', 'Sign the admin in and identify them (always requested)'],
        ['profile', "Read the signed-in user's name, locale and time zone"],
        ['email', "Read the signed-in user's email address"],
        ['address', "Read the signed-in user's postal address"],
        ['phone', "Read the signed-in user's phone number"],
        ['groups', "Read the signed-in user's group names"],
        ['offline_access', 'Get a refresh token to stay connected (always requested)'],
      ],
    ],
    [
      'Users',
      'okta',
      [
        ['okta.users.read', 'Read users and their profiles'],
        ['okta.users.manage', 'Create, update, activate, suspend and delete users'],
        ['okta.userTypes.read', 'Read user types'],
        ['okta.userTypes.manage', 'Create, update and delete user types'],
        ['okta.sessions.read', "Read users' sign-in sessions"],
        ['okta.sessions.manage', "Refresh and end users' sign-in sessions"],
        ['okta.userRisk.read', "Read users' risk levels"],
        ['okta.userRisk.manage', "Set users' risk levels"],
        ['okta.linkedObjects.read', 'Read linked object definitions (such as manager)'],
        ['okta.linkedObjects.manage', 'Create and delete linked object definitions'],
      ],
    ],
    [
      'Groups',
      'okta',
      [
        ['okta.groups.read', 'Read groups, members and group rules'],
        ['okta.groups.manage', 'Create, update and delete groups, members and group rules'],
        ['okta.directories.groups.read', 'Read Active Directory group memberships'],
        ['okta.directories.groups.manage', 'Change Active Directory group memberships'],
      ],
    ],
    [
      'Applications',
      'okta',
      [
        ['okta.apps.read', 'Read apps and their user and group assignments'],
        ['okta.apps.manage', 'Create, update, assign and delete apps'],
        ['okta.appGrants.read', 'Read the Okta API scopes granted to apps'],
        ['okta.appGrants.manage', 'Grant and revoke Okta API scopes for apps'],
        ['okta.apps.interclientTrust.read', 'Read trust relationships between apps'],
        ['okta.apps.interclientTrust.manage', 'Create and delete trust relationships between apps'],
        ['okta.oauthIntegrations.read', 'Read API service integrations'],
        ['okta.oauthIntegrations.manage', 'Create and delete API service integrations'],
        ['okta.profileMappings.read', 'Read profile mappings between Okta and apps'],
        ['okta.profileMappings.manage', 'Update profile mappings between Okta and apps'],
      ],
    ],
    [
      'OAuth clients and authorization servers',
      'okta',
      [
        ['okta.clients.read', 'Read OAuth client apps'],
        ['okta.clients.manage', 'Create, update and delete OAuth client apps'],
        ['okta.clients.register', 'Register new OAuth client apps'],
        ['okta.authorizationServers.read', 'Read custom authorization servers and their policies'],
        [
          'okta.authorizationServers.manage',
          'Create, update and delete custom authorization servers',
        ],
        ['okta.universalLogout.manage', "Revoke a user's sessions and tokens (Universal Logout)"],
      ],
    ],
    [
      'Roles and admin access',
      'okta',
      [
        ['okta.roles.read', 'Read admin roles, resource sets and role assignments'],
        ['okta.roles.manage', 'Create, assign and remove admin roles'],
        ['okta.apiTokens.read', 'Read API tokens (never their values)'],
        ['okta.apiTokens.manage', 'Update and revoke API tokens'],
        ['okta.serviceAccounts.read', 'Read app service accounts'],
        ['okta.serviceAccounts.manage', 'Create, update and delete app service accounts'],
        ['okta.serviceAccounts.okta.read', 'Read Okta service accounts'],
        ['okta.serviceAccounts.okta.manage', 'Create, update and delete Okta service accounts'],
        ['okta.personal.adminSettings.read', 'Read Okta Personal settings for admins'],
        ['okta.personal.adminSettings.manage', 'Update Okta Personal settings for admins'],
      ],
    ],
    [
      'Policies and security',
      'okta',
      [
        ['okta.policies.read', 'Read policies and their rules'],
        ['okta.policies.manage', 'Create, update and delete policies and their rules'],
        ['okta.networkZones.read', 'Read network zones'],
        ['okta.networkZones.manage', 'Create, update and delete network zones'],
        ['okta.behaviors.read', 'Read behavior detection rules'],
        ['okta.behaviors.manage', 'Create, update and delete behavior detection rules'],
        ['okta.threatInsights.read', 'Read the ThreatInsight configuration'],
        ['okta.threatInsights.manage', 'Update the ThreatInsight configuration'],
        ['okta.botProtection.read', 'Read bot protection settings'],
        ['okta.botProtection.manage', 'Update bot protection settings'],
        ['okta.captchas.read', 'Read CAPTCHA settings'],
        ['okta.captchas.manage', 'Create, update and delete CAPTCHA settings'],
        ['okta.trustedOrigins.read', 'Read trusted origins (CORS and redirects)'],
        ['okta.trustedOrigins.manage', 'Create, update and delete trusted origins'],
      ],
    ],
    [
      'Authenticators',
      'okta',
      [
        ['okta.authenticators.read', 'Read authenticators and their methods'],
        ['okta.authenticators.manage', 'Create, update and activate authenticators'],
        ['okta.pushProviders.read', 'Read push notification providers'],
        ['okta.pushProviders.manage', 'Create, update and delete push notification providers'],
        ['okta.customTelephonyProvider.read', 'Read the custom telephony (SMS and voice) provider'],
        [
          'okta.customTelephonyProvider.manage',
          'Set up the custom telephony (SMS and voice) provider',
        ],
      ],
    ],
    [
      'Devices',
      'okta',
      [
        ['okta.devices.read', 'Read devices and their users'],
        ['okta.devices.manage', 'Activate, suspend and delete devices'],
        ['okta.deviceAssurance.read', 'Read device assurance policies'],
        ['okta.deviceAssurance.manage', 'Create, update and delete device assurance policies'],
        ['okta.deviceIntegrations.read', 'Read device integrations'],
        ['okta.deviceIntegrations.manage', 'Activate and deactivate device integrations'],
        ['okta.devicePostureChecks.read', 'Read device posture checks'],
        ['okta.devicePostureChecks.manage', 'Create, update and delete device posture checks'],
      ],
    ],
    [
      'Identity providers and directories',
      'okta',
      [
        ['okta.idps.read', 'Read identity providers and their keys'],
        ['okta.idps.manage', 'Create, update and delete identity providers'],
        ['okta.identitySources.read', 'Read custom identity sources and import sessions'],
        ['okta.identitySources.manage', 'Import users into custom identity sources'],
        ['okta.agentPools.read', 'Read directory agent pools and their updates'],
        ['okta.agentPools.manage', 'Schedule and run directory agent updates'],
      ],
    ],
    [
      'Logs and hooks',
      'okta',
      [
        ['okta.logs.read', 'Read the System Log'],
        ['okta.logStreams.read', 'Read log streams'],
        ['okta.logStreams.manage', 'Create, update and delete log streams'],
        ['okta.eventHooks.read', 'Read event hooks'],
        ['okta.eventHooks.manage', 'Create, verify, update and delete event hooks'],
        ['okta.inlineHooks.read', 'Read inline hooks'],
        ['okta.inlineHooks.manage', 'Create, update, run and delete inline hooks'],
      ],
    ],
    [
      'Profiles and schemas',
      'okta',
      [
        ['okta.schemas.read', 'Read user, group and app profile schemas'],
        ['okta.schemas.manage', 'Add and change profile attributes'],
        ['okta.uischemas.read', 'Read profile enrollment form layouts'],
        ['okta.uischemas.manage', 'Create, update and delete profile enrollment form layouts'],
      ],
    ],
    [
      'Branding, domains and email',
      'okta',
      [
        ['okta.brands.read', 'Read brands, themes and sign-in pages'],
        ['okta.brands.manage', 'Customize brands, themes and sign-in pages'],
        ['okta.templates.read', 'Read email and SMS templates'],
        ['okta.templates.manage', 'Customize email and SMS templates'],
        ['okta.domains.read', 'Read custom domains'],
        ['okta.domains.manage', 'Add, verify and delete custom domains'],
        ['okta.emailDomains.read', 'Read email domains'],
        ['okta.emailDomains.manage', 'Add, verify and delete email domains'],
        ['okta.emailServers.read', 'Read custom email (SMTP) servers'],
        ['okta.emailServers.manage', 'Add, update and delete custom email (SMTP) servers'],
      ],
    ],
    [
      'Org settings',
      'okta',
      [
        ['okta.orgs.read', 'Read org settings, contacts and preferences'],
        ['okta.orgs.manage', 'Update org settings, contacts and preferences'],
        ['okta.features.read', 'Read org features'],
        ['okta.features.manage', 'Turn org features on and off'],
        ['okta.rateLimits.read', 'Read rate limit settings'],
        ['okta.rateLimits.manage', 'Update rate limit settings'],
        ['okta.principalRateLimits.read', 'Read rate limits of API tokens and OAuth clients'],
        ['okta.principalRateLimits.manage', 'Set rate limits of API tokens and OAuth clients'],
        ['okta.realms.read', 'Read realms'],
        ['okta.realms.manage', 'Create, update and delete realms'],
        ['okta.realmAssignments.read', 'Read realm assignment rules'],
        ['okta.realmAssignments.manage', 'Create, update and run realm assignment rules'],
        ['okta.dr.read', 'Read the disaster recovery status'],
        ['okta.dr.manage', 'Start and stop disaster recovery failover'],
      ],
    ],
    [
      'Shared Signals',
      'okta',
      [
        ['ssf.read', 'Read Shared Signals Framework (SSF) streams'],
        ['ssf.manage', 'Create, update and delete Shared Signals Framework streams'],
        ['okta.securityEventsProviders.read', 'Read security events providers'],
        [
          'okta.securityEventsProviders.manage',
          'Create, update and delete security events providers',
        ],
      ],
    ],
    [
      'Workflows',
      'okta',
      [['okta.workflows.invoke.manage', 'Run Okta Workflows flows that have an API endpoint']],
    ],
  ];

export const SCOPE_CATALOG: readonly ScopeInfo[] = Object.freeze(
  GROUPS.flatMap(([group, kind, rows]) =>
    rows.map(([name, description]) => Object.freeze({ name, group, description, kind })),
  ),
);

const NAMES: ReadonlySet<string> = new Set(SCOPE_CATALOG.map((scope) => scope.name));

/** Exact, case-sensitive: Okta scope names are (`okta.deviceAssurance.read`). */
export function isKnownScope(name: string): boolean {
  return NAMES.has(name);
}
