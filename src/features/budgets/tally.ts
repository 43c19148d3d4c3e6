/*
 * The tally of a budget: votes and rank per project, and a proposed selection within the
 * envelope, by one of two methods. Pure (no server imports): the `budgets.tally` worker feeds it
 * the checked-out ballots, the tests hand-worked examples, the benchmark 400,000 votes.
 *
 * - Greedy (Decidim's, CONSUL's, and the rule of most Pabulib instances): projects in order of
 *   votes; each is funded if it still fits in what is left of the envelope, else skipped.
 * - The Method of Equal Shares (Peters & Skowron; equalshares.net), as Aarau, Wieliczka and
 *   Assen used it: the envelope is shared equally among the voters; a project is funded when its
 *   supporters can pay for it together, each paying the same amount ρ (or all they have left,
 *   if less); at each step the project whose supporters pay the least per euro of its cost — the
 *   one with the highest "effective vote count" cost/ρ — is chosen. Its usual completion: when the
 *   shares leave money unspent, each voter's share is raised by one euro at a time (`add1`), the
 *   method run again, as long as the selection still fits the real envelope; what is still left
 *   then goes greedily, by votes.
 */

export interface TallyProject {
  id: string;
  cost: number;
}

/** One checked-out ballot: indices into the projects array, and their points (1 each on approval ballots). */
export interface TallyBallot {
  projects: readonly number[];
  points?: readonly number[];
}

export type PaidBy = 'shares' | 'completion' | 'greedy';

export interface ProjectResult {
  id: string;
  cost: number;
  votes: number;
  score: number;
  /** 1 for the most voted; ties share nothing: the order breaks them (votes, points, lower cost, then id). */
  rank: number;
  proposed: boolean;
  paidBy: PaidBy | null;
  /** Equal Shares: how many supporters paid, and the average of what each paid. */
  payers: number | null;
  averagePayment: number | null;
}

export interface EqualSharesDetails {
  /** The envelope divided by the number of voters. */
  initialShare: number;
  /** The share after the completion raised it (equal to `initialShare` when it did not). */
  finalShare: number;
  /** Runs of the method the completion needed. */
  rounds: number;
  fundedByShares: number;
  addedByCompletion: number;
}

export interface TallyResult {
  method: 'greedy' | 'equal_shares';
  voters: number;
  spent: number;
  projects: ProjectResult[];
  details: EqualSharesDetails | Record<string, never>;
}

const EPSILON = 1e-9;

interface Prepared {
  n: number;
  costs: Float64Array;
  votes: Int32Array;
  scores: Float64Array;
  /** Supporters of each project (voter indices). */
  supporters: Int32Array[];
  /** Project indices by rank. */
  order: number[];
}

/**
 * The supporters of each project (voter numbers 0…n-1) and the points they gave: what the
 * database hands the worker directly (one row per project), without a row per ballot.
 */
export interface TallySupport {
  voters: number;
  votes: readonly number[];
  scores: readonly number[];
  /** Needed by Equal Shares only (greedy reads the counts). */
  supporters?: readonly Int32Array[];
}

function prepareSupport(projects: readonly TallyProject[], support: TallySupport): Prepared {
  const m = projects.length;
  const costs = Float64Array.from(projects, (p) => p.cost);
  const votes = Int32Array.from(support.votes);
  const scores = Float64Array.from(support.scores);
  const order = projects.map((_, j) => j);
  order.sort((a, b) => votes[b]! - votes[a]! || scores[b]! - scores[a]! || costs[a]! - costs[b]! || (projects[a]!.id < projects[b]!.id ? -1 : 1));
  return { n: support.voters, costs, votes, scores, supporters: (support.supporters ?? []).slice(0, m) as Int32Array[], order };
}

/** Ballots as the supporters of each project. */
export function supportOf(projectCount: number, ballots: readonly TallyBallot[]): TallySupport {
  const counts = new Int32Array(projectCount);
  const scores = new Array<number>(projectCount).fill(0);
  for (const b of ballots) {
    for (let k = 0; k < b.projects.length; k++) {
      const j = b.projects[k]!;
      counts[j]! += 1;
      scores[j]! += b.points?.[k] ?? 1;
    }
  }
  const supporters = Array.from({ length: projectCount }, (_, j) => new Int32Array(counts[j]!));
  const fill = new Int32Array(projectCount);
  ballots.forEach((b, i) => {
    for (const j of b.projects) supporters[j]![fill[j]!++] = i;
  });
  return { voters: ballots.length, votes: Array.from(counts), scores, supporters };
}

function prepare(projects: readonly TallyProject[], input: readonly TallyBallot[] | TallySupport): Prepared {
  return prepareSupport(projects, Array.isArray(input) ? supportOf(projects.length, input as readonly TallyBallot[]) : (input as TallySupport));
}

function results(projects: readonly TallyProject[], p: Prepared, paid: Map<number, { by: PaidBy; payers: number | null; average: number | null }>): ProjectResult[] {
  const rank = new Int32Array(projects.length);
  p.order.forEach((j, r) => (rank[j] = r + 1));
  return p.order.map((j) => {
    const how = paid.get(j);
    return {
      id: projects[j]!.id,
      cost: p.costs[j]!,
      votes: p.votes[j]!,
      score: p.scores[j]!,
      rank: rank[j]!,
      proposed: how !== undefined,
      paidBy: how?.by ?? null,
      payers: how?.payers ?? null,
      averagePayment: how?.average ?? null,
    };
  });
}

/** Greedy by votes within `budget`; `taken` projects are already funded (the completion's case). */
function greedyFill(p: Prepared, budget: number, taken: Set<number>): number[] {
  let spent = 0;
  for (const j of taken) spent += p.costs[j]!;
  const added: number[] = [];
  for (const j of p.order) {
    if (taken.has(j) || p.votes[j]! === 0) continue;
    if (spent + p.costs[j]! <= budget) {
      spent += p.costs[j]!;
      added.push(j);
    }
  }
  return added;
}

export function tallyGreedy(projects: readonly TallyProject[], ballots: readonly TallyBallot[] | TallySupport, budget: number): TallyResult {
  const p = prepare(projects, ballots);
  const chosen = greedyFill(p, budget, new Set());
  const paid = new Map(chosen.map((j) => [j, { by: 'greedy' as const, payers: null, average: null }]));
  return { method: 'greedy', voters: p.n, spent: chosen.reduce((s, j) => s + p.costs[j]!, 0), projects: results(projects, p, paid), details: {} };
}

interface SharesRun {
  winners: number[];
  /** Per winner: what each supporter paid at most (ρ), and how many paid something. */
  payment: Map<number, { rho: number; payers: number; total: number }>;
}

/** The method itself, each voter starting with `share`. */
function equalSharesRun(p: Prepared, share: number): SharesRun {
  const money = new Float64Array(p.n).fill(share);
  // The last effective vote count of each candidate: it can only fall as voters spend, so a
  // candidate whose last count is below the best found this round cannot win it.
  const effective = new Map<number, number>();
  for (let j = 0; j < p.costs.length; j++) if (p.costs[j]! > 0 && p.votes[j]! > 0) effective.set(j, p.votes[j]!);
  const winners: number[] = [];
  const payment = new Map<number, { rho: number; payers: number; total: number }>();
  const scratch = new Float64Array(p.n);
  // Ties (equal effective votes, to rounding) go to more votes, then the lower cost, then the order.
  const better = (j: number, eff: number, best: number, bestEff: number): boolean => {
    if (best < 0 || eff > bestEff * (1 + EPSILON)) return true;
    if (eff < bestEff * (1 - EPSILON)) return false;
    if (p.votes[j]! !== p.votes[best]!) return p.votes[j]! > p.votes[best]!;
    if (p.costs[j]! !== p.costs[best]!) return p.costs[j]! < p.costs[best]!;
    return j < best;
  };
  for (;;) {
    let best = -1;
    let bestEff = 0;
    const candidates = [...effective.entries()].sort((a, b) => b[1] - a[1]);
    for (const [j, previous] of candidates) {
      if (best >= 0 && previous < bestEff * (1 - EPSILON)) break;
      const s = p.supporters[j]!;
      const cost = p.costs[j]!;
      let behind = 0;
      let poorest = Infinity;
      for (let k = 0; k < s.length; k++) {
        const m = money[s[k]!]!;
        behind += m;
        if (m < poorest) poorest = m;
      }
      if (behind < cost * (1 - EPSILON)) {
        effective.delete(j);
        continue;
      }
      // Everyone can pay an equal part: no one pays less, ρ is that part (no sort needed).
      if (poorest * (1 + EPSILON) >= cost / s.length) {
        const eff = s.length;
        effective.set(j, eff);
        if (better(j, eff, best, bestEff)) {
          best = j;
          bestEff = eff;
        }
        continue;
      }
      // The supporters' money, poorest first: those who cannot pay ρ pay all they have.
      const budgets = scratch.subarray(0, s.length);
      for (let k = 0; k < s.length; k++) budgets[k] = money[s[k]!]!;
      budgets.sort();
      let paidSoFar = 0;
      let denominator = s.length;
      for (let k = 0; k < budgets.length; k++) {
        const rho = (cost - paidSoFar) / denominator;
        if (rho > budgets[k]! * (1 + EPSILON) && denominator > 1) {
          paidSoFar += budgets[k]!;
          denominator--;
        } else {
          const eff = cost / rho;
          effective.set(j, eff);
          if (better(j, eff, best, bestEff)) {
            best = j;
            bestEff = eff;
          }
          break;
        }
      }
    }
    if (best < 0) break;
    winners.push(best);
    effective.delete(best);
    const rho = p.costs[best]! / bestEff;
    let payers = 0;
    let total = 0;
    for (const i of p.supporters[best]!) {
      const pay = Math.min(money[i]!, rho);
      if (pay > EPSILON) payers++;
      total += pay;
      money[i] = Math.max(0, money[i]! - pay);
    }
    payment.set(best, { rho, payers, total });
  }
  return { winners, payment };
}

const costOf = (p: Prepared, js: Iterable<number>) => {
  let s = 0;
  for (const j of js) s += p.costs[j]!;
  return s;
};

/** Could another voted project still fit in the envelope next to these? */
function exhaustive(p: Prepared, chosen: Set<number>, budget: number): boolean {
  const spent = costOf(p, chosen);
  for (let j = 0; j < p.costs.length; j++) if (!chosen.has(j) && p.votes[j]! > 0 && spent + p.costs[j]! <= budget) return false;
  return true;
}

export function tallyEqualShares(projects: readonly TallyProject[], ballots: readonly TallyBallot[] | TallySupport, budget: number, opts: { maxRounds?: number } = {}): TallyResult {
  const p = prepare(projects, ballots);
  if (p.supporters.length !== projects.length) throw new Error('Equal Shares needs the supporters of each project');
  if (p.n === 0) {
    return { method: 'equal_shares', voters: 0, spent: 0, projects: results(projects, p, new Map()), details: { initialShare: 0, finalShare: 0, rounds: 0, fundedByShares: 0, addedByCompletion: 0 } };
  }
  const initialShare = budget / p.n;
  let share = initialShare;
  let run = equalSharesRun(p, share);
  let rounds = 1;
  const maxRounds = opts.maxRounds ?? 100_000;
  // add1: one more euro for each voter, as long as the selection fits the real envelope.
  while (!exhaustive(p, new Set(run.winners), budget) && rounds < maxRounds) {
    const next = equalSharesRun(p, share + 1);
    rounds++;
    if (costOf(p, next.winners) > budget) break;
    share += 1;
    run = next;
  }
  const chosen = new Set(run.winners);
  const completion = greedyFill(p, budget, chosen);
  const paid = new Map<number, { by: PaidBy; payers: number | null; average: number | null }>();
  for (const j of run.winners) {
    const pay = run.payment.get(j)!;
    paid.set(j, { by: 'shares', payers: pay.payers, average: pay.payers > 0 ? pay.total / pay.payers : null });
  }
  for (const j of completion) paid.set(j, { by: 'completion', payers: null, average: null });
  return {
    method: 'equal_shares',
    voters: p.n,
    spent: costOf(p, paid.keys()),
    projects: results(projects, p, paid),
    details: { initialShare, finalShare: share, rounds, fundedByShares: run.winners.length, addedByCompletion: completion.length },
  };
}

export function tally(method: 'greedy' | 'equal_shares', projects: readonly TallyProject[], ballots: readonly TallyBallot[] | TallySupport, budget: number): TallyResult {
  return method === 'equal_shares' ? tallyEqualShares(projects, ballots, budget) : tallyGreedy(projects, ballots, budget);
}
