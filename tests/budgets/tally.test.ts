import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ballotPoints, ballotProjects, parsePabulib, PabulibError, serializePabulib, splitLine } from '../../src/features/budgets/pabulib.ts';
import { tallyEqualShares, tallyGreedy, type TallyBallot, type TallyProject } from '../../src/features/budgets/tally.ts';

/*
 * The tally on examples small enough to follow each step by hand, and on two real instances
 * from Pabulib (tests/budgets/pabulib/): their published votes per project and the selection of
 * their rule (greedy) must come out again.
 */

const projects = (costs: Record<string, number>): TallyProject[] => Object.entries(costs).map(([id, cost]) => ({ id, cost }));
/** Ballots by project ids, in the order of `ps`. */
const ballots = (ps: TallyProject[], ...lists: string[][]): TallyBallot[] => lists.map((l) => ({ projects: l.map((id) => ps.findIndex((p) => p.id === id)) }));
const chosen = (r: ReturnType<typeof tallyGreedy>) => r.projects.filter((p) => p.proposed).map((p) => p.id).sort();

describe('greedy', () => {
  it('funds by votes, skipping what no longer fits, and never a project nobody chose', () => {
    const ps = projects({ a: 60, b: 50, c: 30, d: 10, e: 5 });
    // Votes: a 3, b 2, c 2, d 1, e 0.
    const r = tallyGreedy(ps, ballots(ps, ['a', 'b', 'c'], ['a', 'b'], ['a', 'c', 'd']), 100);
    // a (60) fits; b (50) does not (110); c (30) fits (90); d (10) fits (100); e has no vote.
    expect(chosen(r)).toEqual(['a', 'c', 'd']);
    expect(r.spent).toBe(100);
    expect(r.projects.map((p) => [p.id, p.votes, p.rank])).toEqual([
      ['a', 3, 1],
      ['c', 2, 2], // b and c tie on votes: the cheaper first
      ['b', 2, 3],
      ['d', 1, 4],
      ['e', 0, 5],
    ]);
  });
});

describe('the Method of Equal Shares, by hand', () => {
  it('gives the lone voter of d her share where greedy spends it all on the majority', () => {
    // 4 voters, envelope 100: each holds 25.
    const ps = projects({ A: 60, B: 40, C: 30, D: 30 });
    const bs = ballots(ps, ['A', 'B'], ['A', 'B'], ['A', 'C'], ['D']);
    // Greedy: A (3 votes) then B (2): 100, nothing left.
    expect(chosen(tallyGreedy(ps, bs, 100))).toEqual(['A', 'B']);
    // Equal Shares at 25 each:
    //   A: its 3 supporters hold 75 ≥ 60, each pays ρ = 20 → effective votes 60/20 = 3;
    //   B: 2 supporters hold 50 ≥ 40, ρ = 20 → 2; C and D: one supporter with 25 < 30, out.
    //   A wins; voters 1–3 keep 5 each. B: 10 < 40, out. Selection {A}, 60 spent.
    // Completion (add1): shares of 26, 27… At 30 voter 4 can pay for D alone (ρ = 30): {A, D},
    // 90 ≤ 100. C (30) and B (40) no longer fit in what is left: done, greedy adds nothing.
    const r = tallyEqualShares(ps, bs, 100);
    expect(chosen(r)).toEqual(['A', 'D']);
    expect(r.spent).toBe(90);
    expect(r.details).toEqual({ initialShare: 25, finalShare: 30, rounds: 6, fundedByShares: 2, addedByCompletion: 0 });
    const a = r.projects.find((p) => p.id === 'A')!;
    const d = r.projects.find((p) => p.id === 'D')!;
    expect([a.paidBy, a.payers, a.averagePayment]).toEqual(['shares', 3, 20]);
    expect([d.paidBy, d.payers, d.averagePayment]).toEqual(['shares', 1, 30]);
  });

  it('lets a supporter short of ρ pay all she has, the others the rest', () => {
    // 4 voters, envelope 100 (25 each). Y (60) by voters 1, 3, 4; Z (28) by 1 and 2; X (50) by 1 and 2.
    const ps = projects({ X: 50, Y: 60, Z: 28 });
    const bs = ballots(ps, ['X', 'Y', 'Z'], ['X', 'Z'], ['Y'], ['Y']);
    // One run at 25 each:
    //   Y: 3 × 25 = 75 ≥ 60, ρ = 20, effective 3 (X: ρ 25, 2; Z: ρ 14, 2) → Y; voter 1 keeps 5.
    //   Z: 5 + 25 = 30 ≥ 28; ρ would be 14 > 5, so voter 1 pays her 5 and voter 2 the other 23
    //   (effective 28/23 ≈ 1.2). X: 30 < 50, out. {Y, Z}: 88. Z's two payers average 14.
    const once = tallyEqualShares(ps, bs, 100);
    expect(chosen(once)).toEqual(['Y', 'Z']);
    const z = once.projects.find((p) => p.id === 'Z')!;
    expect([z.payers, z.averagePayment]).toEqual([2, 14]);
    // No completion: X (50) cannot fit in the 12 left, so the selection is already exhaustive.
    const full = tallyEqualShares(ps, bs, 100);
    expect(chosen(full)).toEqual(['Y', 'Z']);
    expect(full.details).toEqual({ initialShare: 25, finalShare: 25, rounds: 1, fundedByShares: 2, addedByCompletion: 0 });
  });

  it('fills what the shares leave greedily, by votes', () => {
    // 2 voters, envelope 10 (5 each); P (8) by voter 1 only, Q (2) by both.
    const ps = projects({ P: 8, Q: 2 });
    const bs = ballots(ps, ['P', 'Q'], ['Q']);
    // At 5 each: Q (ρ 1, effective 2) wins; P: voter 1 has 4 < 8. add1 up to 9 each: P at 9
    // (voter 1 has 8 after Q): {P, Q} = 10 ≤ 10.
    const r = tallyEqualShares(ps, bs, 10);
    expect(chosen(r)).toEqual(['P', 'Q']);
    expect(r.details).toMatchObject({ finalShare: 9, fundedByShares: 2, addedByCompletion: 0 });
    // Capped at one run, the completion is greedy: P fits next to Q.
    const capped = tallyEqualShares(ps, bs, 10, { maxRounds: 1 });
    expect(chosen(capped)).toEqual(['P', 'Q']);
    expect(capped.projects.find((p) => p.id === 'P')?.paidBy).toBe('completion');
  });

  it('with no voter, proposes nothing', () => {
    const ps = projects({ a: 10 });
    expect(chosen(tallyEqualShares(ps, [], 100))).toEqual([]);
    expect(chosen(tallyGreedy(ps, [], 100))).toEqual([]);
  });
});

describe('Pabulib instances', () => {
  const dir = join(import.meta.dirname, 'pabulib');
  const load = (file: string) => {
    const inst = parsePabulib(readFileSync(join(dir, file), 'utf8'));
    const ps = inst.projects.map((p) => ({ id: p['project_id']!, cost: Number(p['cost']) }));
    const index = new Map(ps.map((p, i) => [p.id, i]));
    const bs = inst.votes.map((v) => ({ projects: ballotProjects(v).map((id) => index.get(id)!), points: ballotPoints(v) ?? undefined }));
    return { inst, ps, bs: bs as TallyBallot[] };
  };

  it.each([
    // The selection of greedy on the published votes, worked out independently of this code.
    ['france_toulouse_2019_.pb', ['4', '16', '13', '10', '20', '30', '29', '1', '5', '18', '7', '6', '27', '12', '14', '24'], 994000],
    ['poland_czestochowa_2020_grabowka.pb', ['196', '443', '463', '47', '198'], 215294],
  ])('%s: the published votes and its rule’s selection', (file, expected, spent) => {
    const { inst, ps, bs } = load(file);
    expect(inst.meta['rule']).toBe('greedy');
    const r = tallyGreedy(ps, bs, Number(inst.meta['budget']));
    for (const p of inst.projects) expect(r.projects.find((x) => x.id === p['project_id'])?.votes, p['project_id']).toBe(Number(p['votes']));
    expect(r.voters).toBe(Number(inst.meta['num_votes']));
    expect(chosen(r)).toEqual([...expected].sort());
    expect(r.spent).toBe(spent);
    // Equal Shares stays within the envelope on real data too.
    const mes = tallyEqualShares(ps, bs, Number(inst.meta['budget']));
    expect(mes.spent).toBeLessThanOrEqual(Number(inst.meta['budget']));
    expect(mes.projects.filter((p) => p.proposed).length).toBeGreaterThan(0);
  });

  it('reads quoted fields and writes back what it read', () => {
    expect(splitLine('47;12000;30;188;"""Odkupmy"" i my; kosze"')).toEqual(['47', '12000', '30', '188', '"Odkupmy" i my; kosze']);
    const { inst } = load('poland_czestochowa_2020_grabowka.pb');
    const again = parsePabulib(serializePabulib(inst));
    expect(again).toEqual(inst);
    expect(inst.projects.find((p) => p['project_id'] === '47')?.['name']).toBe('"Odkupmy" i my - zakup i montaż nowoczesnych koszy na psie nieczystości w dzielnicy Grabówka');
  });

  it('refuses what is not an instance, saying why', () => {
    expect(() => parsePabulib('hello')).toThrow(PabulibError);
    expect(() => parsePabulib('META\nkey;value\nbudget;0\nPROJECTS\nproject_id;cost\n1;10\nVOTES\nvoter_id;vote\n1;1')).toThrow('pabulib.budget');
    expect(() => parsePabulib('META\nkey;value\nbudget;100\nPROJECTS\nproject_id;cost\n1;10\nVOTES\nvoter_id;vote\n1;2')).toThrow('pabulib.vote');
  });
});
