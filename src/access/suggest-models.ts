// "Did you mean …": ranks catalogue model ids by token overlap and edit distance to what the user typed.

export function suggestModelIds(wanted: string, candidates: readonly string[], limit = 3): string[] {
  const w = wanted.toLowerCase();
  const wantedTokens = tokens(w);
  return candidates
    .map((id) => {
      const overlap = jaccard(wantedTokens, tokens(id));
      const distance = levenshtein(w, id) / Math.max(w.length, id.length, 1);
      return { id, score: overlap * 0.6 + (1 - distance) * 0.4 };
    })
    .filter((c) => c.score > 0.35)
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
    .slice(0, limit)
    .map((c) => c.id);
}

function tokens(s: string): Set<string> {
  return new Set(s.split(/[^a-z0-9]+/).filter(Boolean));
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let both = 0;
  for (const t of a) if (b.has(t)) both++;
  const union = a.size + b.size - both;
  return union === 0 ? 0 : both / union;
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
