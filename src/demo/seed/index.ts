import { createPrng } from '../prng';
import type { DemoStore } from '../store';
import type { IncidentInput } from '../storeTypes';
import { seedAzureRows } from './azureRows';
import { seedEndpointRows } from './endpointRows';
import { incident01PasswordSpray, incident02ShadowCopyDeletion } from './incidents01to02';
import { incident03PhishingClick, incident04EncodedPowerShell } from './incidents03to04';
import { incident05MassDownload, incident06RdpBruteForce } from './incidents05to06';
import { incident07RoleAssignment, incident08CryptoMining } from './incidents07to08';
import {
  incident09InboxForwardingRule,
  incident10DnsTunnelling,
  incident11BenignAdminScript,
  incident12FalsePositiveVpn,
} from './incidents09to12';
import { seedEmailRows, seedOfficeRows } from './m365Rows';
import type { RowContext } from './rowWriter';
import { seedSecurityRows } from './securityRows';
import { seedSigninRows } from './signinRows';
import { createTimeline, type Timeline } from './timeline';
import { seedUsageRows } from './usageRows';

/** The seeded incidents in number order (1..12); each scenario's log rows are written below. */
export const SEED_INCIDENTS: readonly ((t: Timeline) => IncidentInput)[] = [
  incident01PasswordSpray,
  incident02ShadowCopyDeletion,
  incident03PhishingClick,
  incident04EncodedPowerShell,
  incident05MassDownload,
  incident06RdpBruteForce,
  incident07RoleAssignment,
  incident08CryptoMining,
  incident09InboxForwardingRule,
  incident10DnsTunnelling,
  incident11BenignAdminScript,
  incident12FalsePositiveVpn,
];

/** Fills an empty store with the demo week: 12 incidents and the log rows that tell their story. */
export function seedDemoStore(store: DemoStore, now: Date): void {
  const t = createTimeline(now);
  for (const build of SEED_INCIDENTS) store.createIncident(build(t));
  const ctx: RowContext = {
    append: (table, record) => store.appendLogRow(table, record),
    t,
    prng: createPrng(7_000_001),
  };
  seedSigninRows(ctx);
  seedEndpointRows(ctx);
  seedSecurityRows(ctx);
  seedOfficeRows(ctx);
  seedEmailRows(ctx);
  seedAzureRows(ctx);
  seedUsageRows(ctx);
}
