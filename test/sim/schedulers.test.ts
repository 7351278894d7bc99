// The IPVS schedulers against the kernel's rules (../shared/design.md; net/netfilter/ipvs/ip_vs_*.c):
// expectations are worked out here by hand or by independent arithmetic, never read back from the code.

import { strict as assert } from 'node:assert';
import type { SchedulerName } from '../../scenarios/schema.ts';
import type { Dest, Scheduler } from '../../sim/model/schedulers/scheduler.ts';
import {
  createScheduler,
  dhBucketTable,
  mhLookupTable,
  shBucketTable,
  MaglevHashingScheduler,
} from '../../sim/model/schedulers/index.ts';
import { mhHash } from '../../sim/model/schedulers/mh.ts';

const ALL: SchedulerName[] = ['rr', 'wrr', 'lc', 'wlc', 'sed', 'nq', 'dh', 'sh', 'mh', 'twos'];

function dest(id: number, weight = 1, activeConns = 0, inactConns = 0, overloaded = false): Dest {
  return { id, weight, activeConns, inactConns, overloaded };
}

/** A small seeded PRNG (mulberry32) for the tests' own randomness. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random() that replays a script, for twos. */
function scripted(values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length];
}

function make(name: SchedulerName, dests: Dest[], flags: string[] = [], random = mulberry32(1)): Scheduler {
  const s = createScheduler(name, flags, random);
  s.update(dests);
  return s;
}

function picks(s: Scheduler, count: number, client = 0): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(s.schedule(client, 0, 0)?.id ?? -1);
  return out;
}

/** hash_32(v, 8) computed with BigInt, independently of the code's Math.imul. */
function bigHash8(v: number): number {
  return Number(((BigInt(v >>> 0) * 0x61c88647n) % 2n ** 32n) >> 24n);
}

const BASE = 0x0a000000; // 10.0.0.0

describe('IPVS schedulers', () => {
  describe('createScheduler', () => {
    it('builds every scheduler under its ipvsadm name', () => {
      for (const name of ALL) assert.equal(createScheduler(name, [], Math.random).name, name);
    });
    it('refuses flags that belong to another scheduler', () => {
      assert.throws(() => createScheduler('rr', ['sh-port'], Math.random), /sh-port.*rr/);
      assert.throws(() => createScheduler('sh', ['mh-fallback'], Math.random), /mh-fallback.*sh/);
      assert.doesNotThrow(() => createScheduler('mh', ['mh-fallback', 'mh-port'], Math.random));
    });
  });

  describe('no destination available → null, for every scheduler', () => {
    for (const name of ALL) {
      it(name, () => {
        assert.equal(make(name, []).schedule(BASE, 1234, BASE + 1), null, 'empty list');
        const quiesced = make(name, [dest(0, 0), dest(1, 0), dest(2, 0)]);
        const overloaded = make(name, [dest(0, 1, 0, 0, true), dest(1, 5, 0, 0, true)]);
        const withFallback =
          name === 'sh' ? ['sh-fallback'] : name === 'mh' ? ['mh-fallback'] : [];
        const quiescedFb = make(name, [dest(0, 0), dest(1, 0)], withFallback);
        for (let c = 0; c < 300; c++) {
          assert.equal(quiesced.schedule(BASE + c, c, BASE + c), null, 'all weight 0');
          assert.equal(overloaded.schedule(BASE + c, c, BASE + c), null, 'all overloaded');
          assert.equal(quiescedFb.schedule(BASE + c, c, BASE + c), null, 'all weight 0, fallback');
        }
      });
    }
  });

  describe('rr', () => {
    it('cycles over the list in order', () => {
      assert.deepEqual(picks(make('rr', [dest(7), dest(3), dest(5)]), 7), [7, 3, 5, 7, 3, 5, 7]);
    });
    it('skips weight 0 and overloaded dests, whatever the other weights', () => {
      const ds = [dest(0, 1), dest(1, 0), dest(2, 9), dest(3, 1, 0, 0, true)];
      assert.deepEqual(picks(make('rr', ds), 6), [0, 2, 0, 2, 0, 2]);
    });
    it('sees a dest quiesced or overloaded at schedule time', () => {
      const ds = [dest(0), dest(1), dest(2)];
      const s = make('rr', ds);
      assert.deepEqual(picks(s, 2), [0, 1]);
      ds[2].overloaded = true;
      assert.deepEqual(picks(s, 3), [0, 1, 0]);
    });
    it('after deleting the dest just chosen, continues with the one that followed it', () => {
      const [a, b, c, d] = [dest(0), dest(1), dest(2), dest(3)];
      const s = make('rr', [a, b, c, d]);
      assert.deepEqual(picks(s, 2), [0, 1]);
      s.update([a, c, d]); // b deleted: the cursor goes back to a
      assert.deepEqual(picks(s, 4), [2, 3, 0, 2]);
    });
    it('keeps its place when a dest is added at the head (list_add_rcu)', () => {
      const [a, b, c, n] = [dest(0), dest(1), dest(2), dest(9)];
      const s = make('rr', [a, b, c]);
      assert.deepEqual(picks(s, 2), [0, 1]);
      s.update([n, a, b, c]);
      assert.deepEqual(picks(s, 5), [2, 9, 0, 1, 2]);
      // dests are matched by id, so fresh objects for the same servers keep the place too
      s.update([dest(9), dest(0), dest(1), dest(2)]);
      assert.deepEqual(picks(s, 3), [9, 0, 1]);
    });
  });

  describe('wrr', () => {
    it('interleaves 4:3:2 as the kernel does: A A B A B C A B C', () => {
      // cw = 4: A; cw = 3: A B; cw = 2: A B C; cw = 1: A B C
      const s = make('wrr', [dest(0, 4), dest(1, 3), dest(2, 2)]);
      assert.deepEqual(picks(s, 18), [0, 0, 1, 0, 1, 2, 0, 1, 2, 0, 0, 1, 0, 1, 2, 0, 1, 2]);
    });
    it('gives exact 4:3:2 counts over 9000 picks', () => {
      const counts = [0, 0, 0];
      for (const id of picks(make('wrr', [dest(0, 4), dest(1, 3), dest(2, 2)]), 9000)) counts[id]++;
      assert.deepEqual(counts, [4000, 3000, 2000]);
    });
    it('steps cw by the gcd: 4:2 → A A B', () => {
      // di = 2, mw = 4 - 1 = 3: cw = 3 picks A; cw = 1 picks A and B
      assert.deepEqual(picks(make('wrr', [dest(0, 4), dest(1, 2)]), 6), [0, 0, 1, 0, 0, 1]);
    });
    it('never picks weight 0, skips overloaded', () => {
      const ds = [dest(0, 0), dest(1, 2), dest(2, 1, 0, 0, true), dest(3, 1)];
      assert.deepEqual(picks(make('wrr', ds), 6), [1, 1, 3, 1, 1, 3]);
    });
    it('recomputes on update and restarts from the head of the list', () => {
      const ds = [dest(0, 1), dest(1, 1), dest(2, 1)];
      const s = make('wrr', ds);
      assert.deepEqual(picks(s, 2), [0, 1]);
      s.update(ds); // cl back to the head (rr would continue with 2)
      assert.deepEqual(picks(s, 3), [0, 1, 2]);
      ds[0].weight = 3;
      s.update(ds);
      const counts = [0, 0, 0];
      for (const id of picks(s, 500)) counts[id]++;
      assert.deepEqual(counts, [300, 100, 100]);
    });
    it('on a weight edit keeps cw where it can: cw = (cw / di) * di + 1', () => {
      const ds = [dest(0, 4), dest(1, 2)];
      const s = make('wrr', ds);
      assert.deepEqual(picks(s, 3), [0, 0, 1]); // di 2, mw 3: cw 3 → A, cw 1 → A B; cw is left at 1
      ds[0].weight = 6;
      ds[1].weight = 4;
      s.update(ds); // di 2, mw 5, cw stays (1 / 2) * 2 + 1 = 1, from the head
      // cw 1: A B; cw 5: A; cw 3: A B; cw 1: A B; cw 5: A
      assert.deepEqual(picks(s, 9), [0, 1, 0, 0, 1, 0, 1, 0, 0]);
    });
    it('on a weight edit that raises the gcd, rounds cw up to the next step', () => {
      const ds = [dest(0, 3), dest(1, 2)];
      const s = make('wrr', ds);
      assert.deepEqual(picks(s, 2), [0, 0]); // cw 3 → A, cw 2 → A; cw is left at 2
      ds[0].weight = 4;
      s.update(ds); // di 2, mw 3, cw = (2 / 2) * 2 + 1 = 3
      assert.deepEqual(picks(s, 4), [0, 0, 1, 0]); // cw 3: A; cw 1: A B; cw 3: A
    });
  });

  describe('lc', () => {
    it('one active connection (256) outweighs 255 inactive ones', () => {
      assert.equal(make('lc', [dest(0, 1, 1, 0), dest(1, 1, 0, 255)]).schedule(0, 0, 0)?.id, 1);
    });
    it('breaks ties by list order: 1 active == 256 inactive', () => {
      assert.equal(make('lc', [dest(0, 1, 1, 0), dest(1, 1, 0, 256)]).schedule(0, 0, 0)?.id, 0);
      assert.equal(make('lc', [dest(1, 1, 0, 256), dest(0, 1, 1, 0)]).schedule(0, 0, 0)?.id, 1);
    });
    it('ignores weights, skips weight 0 and overloaded', () => {
      const ds = [dest(0, 100, 3), dest(1, 1, 2), dest(2, 0, 0), dest(3, 1, 0, 0, true)];
      assert.equal(make('lc', ds).schedule(0, 0, 0)?.id, 1);
    });
  });

  describe('wlc', () => {
    it('compares overhead/weight: 767/3 beats 256/1', () => {
      // A: 1 active, weight 1 → 256; B: 2 active + 255 inactive, weight 3 → 767/3 ≈ 255.7
      assert.equal(make('wlc', [dest(0, 1, 1), dest(1, 3, 2, 255)]).schedule(0, 0, 0)?.id, 1);
    });
    it('keeps the earlier dest on an exact tie (768/3 == 256/1)', () => {
      assert.equal(make('wlc', [dest(0, 1, 1), dest(1, 3, 2, 256)]).schedule(0, 0, 0)?.id, 0);
    });
    it('skips a weight-0 dest, even idle, and overloaded ones', () => {
      const ds = [dest(0, 0, 0), dest(1, 2, 5), dest(2, 1, 0, 0, true), dest(3, 0, 0), dest(4, 1, 3)];
      // 1: 1280/2 = 640; 4: 768/1 → 1
      assert.equal(make('wlc', ds).schedule(0, 0, 0)?.id, 1);
    });
  });

  describe('sed', () => {
    it('sends to the big busy server rather than the small idle one: 2/3 < 1/1', () => {
      assert.equal(make('sed', [dest(0, 1, 0), dest(1, 3, 1)]).schedule(0, 0, 0)?.id, 1);
    });
    it('ignores inactive connections, keeps the earlier dest on a tie (2/1 == 4/2)', () => {
      assert.equal(make('sed', [dest(0, 1, 1, 0), dest(1, 2, 3, 0)]).schedule(0, 0, 0)?.id, 0);
      assert.equal(make('sed', [dest(0, 1, 1, 9999), dest(1, 2, 2, 0)]).schedule(0, 0, 0)?.id, 1);
    });
  });

  describe('nq', () => {
    it('an idle server wins at once, even a small one (where sed would choose the big one)', () => {
      assert.equal(make('nq', [dest(0, 1, 0), dest(1, 3, 1)]).schedule(0, 0, 0)?.id, 0);
    });
    it('takes the first idle dest in list order', () => {
      const ds = [dest(0, 9, 2), dest(1, 1, 0, 50), dest(2, 5, 0)];
      assert.equal(make('nq', ds).schedule(0, 0, 0)?.id, 1);
    });
    it('skips idle dests that are overloaded or weight 0, then behaves as sed', () => {
      const ds = [dest(0, 0, 0), dest(1, 1, 0, 0, true), dest(2, 1, 1), dest(3, 3, 2)];
      // 2: 2/1; 3: 3/3 → 3
      assert.equal(make('nq', ds).schedule(0, 0, 0)?.id, 3);
    });
    it('when all are busy keeps the earlier dest on a tie (2/1 == 4/2)', () => {
      assert.equal(make('nq', [dest(0, 1, 1), dest(1, 2, 3)]).schedule(0, 0, 0)?.id, 0);
      assert.equal(make('nq', [dest(1, 2, 3), dest(0, 1, 1)]).schedule(0, 0, 0)?.id, 1);
    });
  });

  describe('sh', () => {
    it('hashes the client with hash_32 into a table dealt A B C A B C…', () => {
      const s = make('sh', [dest(0), dest(1), dest(2)]);
      for (let c = 0; c < 2000; c++) {
        const addr = (BASE + c * 7919) >>> 0;
        assert.equal(s.schedule(addr, 40000 + c, 0)?.id, bigHash8(addr) % 3, `client ${addr}`);
      }
    });
    it('is stable per address: the port and load do not matter without sh-port', () => {
      const ds = [dest(0), dest(1), dest(2)];
      const s = make('sh', ds);
      const first = s.schedule(BASE + 42, 1000, 0);
      ds[0].activeConns = 500;
      for (let p = 0; p < 100; p++) assert.equal(s.schedule(BASE + 42, p, 0), first);
    });
    it('with sh-port, hashes port + address', () => {
      const s = make('sh', [dest(0), dest(1), dest(2)], ['sh-port']);
      const seen = new Set<number>();
      for (let p = 1024; p < 1100; p++) {
        assert.equal(s.schedule(BASE + 42, p, 0)?.id, bigHash8(BASE + 42 + p) % 3);
        seen.add(s.schedule(BASE + 42, p, 0)!.id);
      }
      assert.equal(seen.size, 3);
    });
    it('re-deals every bucket on removal: deleting 1 of 3 moves far more than 1/3', () => {
      const before = shBucketTable([dest(10), dest(11), dest(12)]);
      const after = shBucketTable([dest(10), dest(12)]);
      let moved = 0;
      let expected = 0;
      for (let b = 0; b < 256; b++) {
        if (before[b] !== after[b]) moved++;
        if ([10, 11, 12][b % 3] !== [10, 12][b % 2]) expected++;
      }
      assert.equal(moved, expected);
      assert.ok(moved > 256 / 3, `${moved} buckets moved`);
      // and the scheduler follows the new table for every client
      const s = make('sh', [dest(10), dest(12)]);
      for (let c = 0; c < 1000; c++) assert.equal(s.schedule(BASE + c, 0, 0)?.id, [10, 12][bigHash8(BASE + c) % 2]);
    });
    it('weights: 2:1 gives A A B per round, 171 and 85 of 256 buckets', () => {
      const table = shBucketTable([dest(0, 2), dest(1, 1)]);
      const count = [0, 0];
      for (const id of table) count[id]++;
      const rounds = Math.floor(256 / 3);
      const rest = 256 % 3;
      assert.deepEqual(count, [rounds * 2 + Math.min(rest, 2), rounds + Math.max(0, rest - 2)]);
      assert.deepEqual(Array.from(table.slice(0, 6)), [0, 0, 1, 0, 0, 1]);
    });
    it('weight 0 keeps the table and drops that server’s clients', () => {
      const ds = [dest(0), dest(1), dest(2)];
      const s = make('sh', ds);
      const before = shBucketTable(ds);
      ds[1].weight = 0;
      s.update(ds);
      assert.deepEqual(shBucketTable(ds), before);
      for (let c = 0; c < 1000; c++) {
        const owner = bigHash8(BASE + c) % 3;
        assert.equal(s.schedule(BASE + c, 0, 0)?.id ?? null, owner === 1 ? null : owner);
      }
    });
    it('a weight-2 dest quiesced to 0 still gets one bucket per round, so the table changes', () => {
      assert.deepEqual(Array.from(shBucketTable([dest(0, 2), dest(1, 1)]).slice(0, 6)), [0, 0, 1, 0, 0, 1]);
      assert.deepEqual(Array.from(shBucketTable([dest(0, 0), dest(1, 1)]).slice(0, 6)), [0, 1, 0, 1, 0, 1]);
    });
    it('sh-fallback sends a quiesced server’s clients elsewhere, the others keep theirs', () => {
      // five dests, the third quiesced: where the probe starts (2 * bucket, not bucket + 1) shows
      const ds = [dest(0), dest(1), dest(2), dest(3), dest(4)];
      const s = make('sh', ds, ['sh-fallback']);
      ds[2].weight = 0;
      s.update(ds);
      let rescued = 0;
      for (let c = 0; c < 3000; c++) {
        const addr = BASE + c;
        const h = bigHash8(addr);
        const got = s.schedule(addr, 0, 0)?.id;
        if (h % 5 !== 2) {
          assert.equal(got, h % 5);
          continue;
        }
        // ip_vs_sh_get_fallback probes hashkey(roffset) = (offset + 2h) & 255, offset = 0, 1, …
        let want = -1;
        for (let k = 0; k < 256 && want < 0; k++) if (((2 * h + k) % 256) % 5 !== 2) want = ((2 * h + k) % 256) % 5;
        assert.equal(got, want);
        assert.notEqual(got, 2);
        rescued++;
      }
      assert.ok(rescued > 400);
    });
    it('an overloaded owner is unavailable too', () => {
      const ds = [dest(0), dest(1, 1, 0, 0, true)];
      const s = make('sh', ds);
      for (let c = 0; c < 200; c++) assert.equal(s.schedule(BASE + c, 0, 0)?.id ?? null, bigHash8(BASE + c) % 2 ? null : 0);
    });
  });

  describe('dh', () => {
    it('hashes the destination address, not the client', () => {
      const s = make('dh', [dest(0), dest(1), dest(2)]);
      for (let v = 0; v < 500; v++) {
        const vip = (0xc0a80000 + v * 13) >>> 0;
        const want = bigHash8(vip) % 3;
        for (let c = 0; c < 5; c++) assert.equal(s.schedule(BASE + c * 1000, c, vip)?.id, want);
      }
    });
    it('deals one bucket per dest whatever the weights; weight 0 → null', () => {
      const ds = [dest(0, 5), dest(1, 1)];
      const count = [0, 0];
      for (const id of dhBucketTable(ds)) count[id]++;
      assert.deepEqual(count, [128, 128]);
      ds[0].weight = 0;
      const s = make('dh', ds);
      for (let v = 0; v < 300; v++) assert.equal(s.schedule(0, 0, v)?.id ?? null, bigHash8(v) % 2 ? 1 : null);
    });
  });

  describe('mh', () => {
    const ten = () => Array.from({ length: 10 }, (_, i) => dest(i));
    function assignment(s: Scheduler, n: number): number[] {
      const out: number[] = [];
      for (let c = 0; c < n; c++) out.push(s.schedule((BASE + c * 2654435) >>> 0, 0, 0)?.id ?? -1);
      return out;
    }

    it('removing 1 of 10 dests remaps close to 1/10 of 10k clients', () => {
      const ds = ten();
      const before = assignment(make('mh', ds), 10000);
      const after = assignment(make('mh', ds.filter((d) => d.id !== 4)), 10000);
      let moved = 0;
      let onRemoved = 0;
      let otherMoved = 0;
      for (let c = 0; c < 10000; c++) {
        if (before[c] !== after[c]) moved++;
        if (before[c] === 4) onRemoved++;
        else if (before[c] !== after[c]) otherMoved++;
        assert.notEqual(after[c], 4);
      }
      assert.ok(moved / 10000 >= 0.08 && moved / 10000 <= 0.13, `moved ${moved / 10000}`);
      assert.ok(onRemoved > 800 && onRemoved < 1200, `the removed dest had ${onRemoved}`);
      // minimal disruption: clients of the other dests nearly all stay
      assert.ok(otherMoved / (10000 - onRemoved) < 0.03, `others moved ${otherMoved}`);
    });
    it('a client keeps its dest when an unrelated dest is removed', () => {
      const ds = ten();
      const before = assignment(make('mh', ds), 3000);
      const s = make('mh', ds.filter((d) => d.id !== 9));
      const after = assignment(s, 3000);
      const onZero = before.map((id, c) => (id === 0 ? c : -1)).filter((c) => c >= 0);
      const kept = onZero.filter((c) => after[c] === 0).length;
      assert.ok(onZero.length > 200);
      assert.ok(kept / onZero.length > 0.97, `${kept} of ${onZero.length}`);
    });
    it('spreads evenly and by weight (2:1 → about 2/3 of the entries)', () => {
      const even = mhLookupTable(ten());
      const count = new Array<number>(10).fill(0);
      for (const id of even) count[id]++;
      for (const n of count) assert.ok(Math.abs(n - 409.3) < 30, `entries ${count.join(',')}`);
      const weighted = mhLookupTable([dest(0, 2), dest(1, 1)], 4093);
      const heavy = weighted.filter((id) => id === 0).length / 4093;
      assert.ok(Math.abs(heavy - 2 / 3) < 0.01, `${heavy}`);
    });
    it('weight 0 keeps the table (last_weight) and drops that server’s clients', () => {
      const ds = ten();
      const s = make('mh', ds);
      const before = assignment(s, 5000);
      ds[3].weight = 0;
      s.update(ds);
      const after = assignment(s, 5000);
      for (let c = 0; c < 5000; c++) assert.equal(after[c], before[c] === 3 ? -1 : before[c]);
    });
    it('mh-fallback sends a quiesced server’s clients elsewhere, the others keep theirs', () => {
      const ds = ten();
      const s = make('mh', ds, ['mh-fallback']);
      const before = assignment(s, 5000);
      const table = mhLookupTable(ds);
      ds[3].weight = 0;
      s.update(ds);
      const after = assignment(s, 5000);
      let rescued = 0;
      for (let c = 0; c < 5000; c++) {
        if (before[c] !== 3) assert.equal(after[c], before[c]);
        else {
          // ip_vs_mh_get_fallback: rehash with roffset = (offset + ihash) % size added, offset = 0, 1, …
          const addr = (BASE + c * 2654435) >>> 0;
          const ihash = mhHash(addr, 2654435761) % 4093;
          let want = -1;
          for (let k = 0; k < 4093 && want < 0; k++) {
            const id = table[mhHash((addr + ((k + ihash) % 4093)) >>> 0, 2654435761) % 4093];
            if (id !== 3) want = id;
          }
          assert.equal(after[c], want);
          assert.ok(after[c] >= 0 && after[c] !== 3);
          rescued++;
        }
      }
      assert.ok(rescued > 300);
    });
    it('a dest added with weight 0 gets no entries', () => {
      const table = mhLookupTable([dest(0, 1), dest(1, 0), dest(2, 1)], 251);
      assert.ok(!table.includes(1));
      assert.ok(table.includes(0) && table.includes(2));
    });
    it('mh-port hashes the port too; table size is one of the kernel primes', () => {
      const s = make('mh', ten(), ['mh-port']);
      const seen = new Set<number>();
      for (let p = 1024; p < 1200; p++) seen.add(s.schedule(BASE + 1, p, 0)!.id);
      assert.ok(seen.size >= 8);
      const noPort = make('mh', ten());
      const one = noPort.schedule(BASE + 1, 1024, 0);
      for (let p = 1025; p < 1100; p++) assert.equal(noPort.schedule(BASE + 1, p, 0), one);
      assert.throws(() => new MaglevHashingScheduler(false, false, 1000), /prime/);
      const small = new MaglevHashingScheduler(false, false, 251);
      small.update(ten());
      assert.ok(small.schedule(BASE, 0, 0) !== null);
    });
  });

  describe('twos', () => {
    it('of two draws keeps the less loaded (scripted randomness)', () => {
      // weights 1 + 1: draws are in [0, 2]; 0 → A (0 - 1 <= 0), 2 → B (2 - 1 - 1 <= 0)
      const draws = scripted([0, 0.999]);
      assert.equal(make('twos', [dest(0, 1, 5), dest(1, 1, 0)], [], draws).schedule(0, 0, 0)?.id, 1);
      assert.equal(make('twos', [dest(0, 1, 0), dest(1, 1, 5)], [], draws).schedule(0, 0, 0)?.id, 0);
      // equal load: choice1 stays
      assert.equal(make('twos', [dest(0, 1, 2), dest(1, 1, 2)], [], scripted([0.999, 0])).schedule(0, 0, 0)?.id, 1);
    });
    it('compares overhead/weight by cross-multiplication', () => {
      // A: 1 active, weight 1 → 256; B: 2 active, weight 3 → 512/3 ≈ 171 → B
      const s = make('twos', [dest(0, 1, 1), dest(1, 3, 2)], [], scripted([0, 0.99]));
      assert.equal(s.schedule(0, 0, 0)?.id, 1);
    });
    it('prefers the less loaded: B wins unless both draws land on A (1 - (2/3)^2 = 5/9)', () => {
      const s = make('twos', [dest(0, 1, 10), dest(1, 1, 0)], [], mulberry32(7));
      const n = 18000;
      const b = picks(s, n).filter((id) => id === 1).length;
      assert.ok(Math.abs(b / n - 5 / 9) < 0.015, `${b / n}`);
    });
    it('draws in proportion to weight, the first dest with one extra chance in total + 1', () => {
      // unloaded, weights 3:1: choice1 always kept; P(A) = (3 + 1) / (4 + 1)
      const s = make('twos', [dest(0, 3), dest(1, 1)], [], mulberry32(11));
      const n = 20000;
      const a = picks(s, n).filter((id) => id === 0).length;
      assert.ok(Math.abs(a / n - 0.8) < 0.015, `${a / n}`);
    });
    it('skips overloaded and weight-0 dests', () => {
      const s = make('twos', [dest(0, 0), dest(1, 1, 9), dest(2, 4, 0, 0, true), dest(3, 0)], [], mulberry32(3));
      assert.ok(picks(s, 200).every((id) => id === 1));
    });
    it('is deterministic for a given random sequence', () => {
      const ds = () => [dest(0, 2, 3), dest(1, 1, 1), dest(2, 3, 4), dest(3, 1, 0)];
      const a = picks(make('twos', ds(), [], mulberry32(99)), 1000);
      const b = picks(make('twos', ds(), [], mulberry32(99)), 1000);
      const c = picks(make('twos', ds(), [], mulberry32(100)), 1000);
      assert.deepEqual(a, b);
      assert.notDeepEqual(a, c);
    });
  });
});
