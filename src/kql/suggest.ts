/** "Did you mean" for an unknown column: the closest known name, if one is close enough. */

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitute = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitute);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The candidate closest to `name`, ignoring case; a candidate that starts with the typed name (IpAddr →
 * IPAddress) counts as one edit away. Nothing is suggested when the best is more than a third of the
 * name away, so unrelated names are never offered.
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const typed = name.toLowerCase();
  if (typed.length < 2) return undefined;
  let best: { name: string; distance: number } | undefined;
  for (const candidate of new Set(candidates)) {
    const lower = candidate.toLowerCase();
    if (lower === typed) return candidate;
    let distance = editDistance(typed, lower);
    if (typed.length >= 4 && (lower.startsWith(typed) || typed.startsWith(lower)))
      distance = Math.min(distance, 1);
    const better =
      !best ||
      distance < best.distance ||
      (distance === best.distance &&
        Math.abs(candidate.length - name.length) < Math.abs(best.name.length - name.length));
    if (better) best = { name: candidate, distance };
  }
  if (!best || best.distance > Math.max(1, Math.floor(typed.length / 3))) return undefined;
  return best.name;
}
