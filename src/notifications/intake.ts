import type { Storage } from 'botbuilder';
import type { Incident } from '../domain/types';
import { getLogger } from '../logger';
import type { SentinelGateway } from '../sentinel/gateway';
import type { Clock } from './clock';

const log = getLogger('notifications.intake');

const HINTS_KEY = 'notifications/incident-hints';
const INCIDENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function isIncidentName(value: unknown): value is string {
  return typeof value === 'string' && INCIDENT_NAME.test(value);
}

export interface IntakeOptions {
  storage: Storage;
  sentinel: SentinelGateway;
  /** Records what the incident means for every subscription (the outbox). */
  route: (incident: Incident) => Promise<void>;
  clock: Clock;
  signal: AbortSignal;
  /** Incidents fetched from Sentinel at once. */
  concurrency?: number;
  /** First backoff when Sentinel cannot be read; doubles up to 5 minutes. */
  retryBaseMs?: number;
}

/**
 * "Something happened to incident X" hints (from the webhook), kept durably until the incident has
 * been re-read from Sentinel and routed. The webhook body is never shown: Sentinel is the source of truth.
 */
export class IncidentIntake {
  private chain: Promise<unknown> = Promise.resolve();
  private running: Promise<void> | undefined;
  private again = false;
  private failures = 0;

  constructor(private readonly o: IntakeOptions) {}

  /** Durably records the hint and starts processing; resolves once the hint is stored. */
  async notify(incidentName: string): Promise<void> {
    if (!isIncidentName(incidentName))
      throw new RangeError(`"${String(incidentName).slice(0, 80)}" is not an incident name`);
    await this.serial(async () => {
      const names = await this.read();
      if (!names.includes(incidentName)) await this.write([...names, incidentName]);
    });
    this.kick();
  }

  /** Processes whatever hints survived a restart. */
  kick(): void {
    if (this.o.signal.aborted) return;
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err: unknown) => log.error({ err }, 'incident intake failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  async idle(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  private async drain(): Promise<void> {
    while (!this.o.signal.aborted) {
      this.again = false;
      const names = await this.read();
      if (names.length === 0) return;
      const done: string[] = [];
      let failed = false;
      const queue = [...names];
      const workers = Array.from({ length: Math.min(this.o.concurrency ?? 4, queue.length) }, async () => {
        for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
          if (this.o.signal.aborted) return;
          try {
            const incident = await this.o.sentinel.getIncident(name);
            if (incident === undefined)
              log.warn({ incidentName: name }, 'webhook named an incident Sentinel does not have; ignored');
            else await this.o.route(incident);
            done.push(name);
          } catch (err) {
            failed = true;
            log.warn({ err, incidentName: name }, 'could not read the incident from Sentinel; will retry');
          }
        }
      });
      await Promise.all(workers);
      await this.serial(async () => this.write((await this.read()).filter((n) => !done.includes(n))));
      if (failed) {
        this.failures++;
        const delay = Math.min(300_000, (this.o.retryBaseMs ?? 2_000) * 2 ** (this.failures - 1));
        void this.o.clock.sleep(delay, this.o.signal).then(() => this.kick());
        return;
      }
      this.failures = 0;
    }
  }

  private async read(): Promise<string[]> {
    const items = await this.o.storage.read([HINTS_KEY]);
    const names = (items[HINTS_KEY] as { names?: unknown } | undefined)?.names;
    return Array.isArray(names) ? names.filter(isIncidentName) : [];
  }

  private async write(names: string[]): Promise<void> {
    await this.o.storage.write({ [HINTS_KEY]: { names, eTag: '*' } });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work, work);
    this.chain = run.catch(() => undefined);
    return run;
  }
}
