import type { IncidentData } from '../incidentData';
import { displayUtc } from '../incidentFacts';
import { oneLine } from '../spotlight';
import type { EntityUnderstanding, IncidentUnderstanding } from '../understanding/types';
import { about, by, listNames, valueOf, type Draft } from './draft';
import { evidenceLine } from './text';

/**
 * Identity steps by role: reset and revoke for compromised accounts (and a user who clicked a
 * credential-harvesting link), review and notify for accounts that were only targeted, credentials
 * rotation for a compromised service principal, role removal for accounts the attacker created or
 * promoted, and the insider-risk steps for a departing user. Never a reset for someone only sprayed.
 */
export function identityActions(u: IncidentUnderstanding, data: IncidentData, out: Draft[]): void {
  const since = displayUtc(data.incident.firstActivityTimeUtc ?? data.incident.createdTimeUtc);
  const people = u.entities.filter((e) => e.kind === 'Account' && !e.flags.servicePrincipal);
  for (const e of people.filter(by('compromised'))) compromisedAccount(e, u, since, out);
  for (const e of people.filter((x) => x.role === 'targeted' && x.flags.clicked)) {
    const name = valueOf(e);
    out.push(
      about(
        'reset-password',
        [e],
        'contain-now',
        `Reset the password of ${name} (clicked the malicious link)`,
        [`Reset the password of ${name} as a precaution: credentials may have been entered on the page.`],
      ),
    );
    out.push(
      about(
        'revoke-sessions',
        [e],
        'contain-now',
        `Revoke the sessions of ${name} (clicked the malicious link)`,
        ['Revoke sessions so a token captured by the page stops working.'],
      ),
    );
    out.push(
      about(
        'review-activity',
        [e],
        'high',
        `Review ${name}'s sign-ins and mailbox activity since the click`,
        ['Look for sign-ins from new addresses or devices and new inbox rules after the click.'],
      ),
    );
  }
  const onlyTargeted = people.filter((x) => x.role === 'targeted' && !x.flags.clicked);
  if (onlyTargeted.length > 0) {
    const n = onlyTargeted.length;
    out.push(
      about(
        'notify',
        onlyTargeted,
        'normal',
        `Review and notify the ${n} targeted account${n === 1 ? '' : 's'} (attempts only, no reset needed)`,
        [
          `Accounts: ${listNames(onlyTargeted, 10)}.`,
          'Confirm no successful sign-in followed; tell the users about the attempt and check they use MFA.',
        ],
        `only targeted — ${evidenceLine(onlyTargeted[0]?.evidence[0], 'attempts without success')}`,
      ),
    );
  }
  for (const e of u.entities.filter(
    (x) => x.kind === 'Account' && x.flags.servicePrincipal && x.role === 'compromised',
  )) {
    out.push(
      about(
        'rotate-credentials',
        [e],
        'contain-now',
        `Rotate the credentials (secrets, certificates) of ${e.name}`,
        ['Remove existing client secrets and certificates; issue new ones to the owning pipeline only.'],
      ),
    );
    out.push(
      about(
        'review-activity',
        [e],
        'high',
        `Review the role assignments and recent operations of ${e.name}`,
        ['Remove role assignments it does not need; list what it created or changed during the incident.'],
      ),
    );
  }
  roleGrants(u, data, out);
  for (const e of u.entities.filter(by('attacker', 'Account'))) {
    out.push(
      about('remove-role', [e], 'contain-now', `Remove privileged roles from ${valueOf(e)} and disable it`, [
        `Remove every role assignment of ${valueOf(e)}, then disable the account.`,
      ]),
    );
  }
  for (const e of u.entities.filter(by('insider', 'Account'))) {
    const name = valueOf(e);
    out.push(
      about(
        'review-activity',
        [e],
        'high',
        `Check whether the files ${name} downloaded left the organisation (sharing links, personal mail, sync, USB)`,
        [
          'Search sharing links, mail to personal addresses, uploads and removable-media events after the downloads.',
        ],
      ),
    );
    out.push(
      about(
        'notify',
        [e],
        'high',
        `Agree access restrictions for ${name} with HR and legal before the departure`,
        ['Decide with HR/legal whether to restrict access now; keep evidence intact.'],
      ),
    );
  }
}

function compromisedAccount(
  e: EntityUnderstanding,
  u: IncidentUnderstanding,
  since: string,
  out: Draft[],
): void {
  const name = valueOf(e);
  out.push(
    about('reset-password', [e], 'contain-now', `Reset the password of ${name}`, [
      `Reset the password of ${name} and require a change at next sign-in.`,
    ]),
  );
  out.push(
    about('revoke-sessions', [e], 'contain-now', `Revoke all sessions and refresh tokens of ${name}`, [
      'Revoke sessions (Revoke-MgUserSignInSession; purge Kerberos tickets on-premises) so stolen tokens stop working.',
    ]),
  );
  // A cloud identity (UPN) has MFA methods and a mailbox; an on-premises account has logons.
  if (!name.includes('@')) {
    out.push(
      about(
        'review-activity',
        [e],
        'high',
        `Review where ${name} logged on from and what it ran since ${since}`,
        [
          'Check logon events (4624/4625: logon type, source address) and processes started under the account on every host.',
        ],
      ),
    );
    return;
  }
  const mfa = u.findings.find(
    (f) =>
      /security info|authentication method|\bmfa\b/i.test(f.text) &&
      f.text.toLowerCase().includes(name.toLowerCase()),
  );
  out.push(
    mfa
      ? {
          ...about(
            'review-mfa-methods',
            [e],
            'contain-now',
            `Remove the MFA / security info the attacker registered for ${name}`,
            [`Review ${name}'s authentication methods and delete those added during the incident window.`],
            evidenceLine(mfa, 'security info registered during the attack'),
          ),
          evidence: [mfa],
        }
      : about(
          'review-mfa-methods',
          [e],
          'high',
          `Check ${name}'s MFA methods for ones added since ${since}`,
          ['Delete authentication methods or devices registered during the incident window.'],
        ),
  );
  out.push(
    about(
      'review-activity',
      [e],
      'high',
      `Review what ${name} did since ${since}: mailbox rules, sent mail, file access, app consents`,
      [
        'Check inbox and forwarding rules, sent items, files accessed and OAuth consents during the attacker session.',
      ],
    ),
  );
}

/** Role grants made during the incident ("granted Owner at subscription scope", roleAssignments/write). */
function roleGrants(u: IncidentUnderstanding, data: IncidentData, out: Draft[]): void {
  const texts = [
    ...data.alerts.map((a) => `${a.displayName}. ${a.description}`),
    ...u.findings.map((f) => f.text),
  ];
  const grant = texts.find((t) => /\bgranted \w+|roleassignments\/write|\w+ role granted/i.test(t));
  const scope = u.entities.find((e) => e.kind === 'AzureResource' && e.flags.scope);
  if (!grant || !scope) return;
  const role =
    /(\w+) role granted/i.exec(grant)?.[1] ??
    /\bgranted (?!on\b|to\b|at\b|by\b|the\b|a\b)(\w+)/i.exec(grant)?.[1] ??
    'privileged';
  out.push({
    ...about(
      'remove-role',
      [scope],
      'contain-now',
      `Remove the ${role} role assignment granted on ${scope.name} during the incident`,
      ['List role assignments created during the incident window on the scope and remove them.'],
      oneLine(grant, 200),
    ),
    evidence: [{ kind: 'alert', text: oneLine(grant, 200), ref: 'alert text / AzureActivity' }],
  });
}
