/** Seed times are relative to the demo's clock so the data always looks like last week's. */
export interface Timeline {
  readonly now: Date;
  /** ISO time `hours` (and `minutes`) before now. */
  ago(hours: number, minutes?: number): string;
  /** ISO time `minutes` after `iso`. */
  plus(iso: string, minutes: number): string;
}

export function createTimeline(now: Date): Timeline {
  return {
    now,
    ago: (hours, minutes = 0) => new Date(now.getTime() - (hours * 60 + minutes) * 60_000).toISOString(),
    plus: (iso, minutes) => new Date(Date.parse(iso) + minutes * 60_000).toISOString(),
  };
}
