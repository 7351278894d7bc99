// Who the clients are and how they find the farm. Client addresses are split into
// populations (a share of the load each), each behind its own resolvers and with its own round
// trip to each site. Under DNS balancing a client asks its resolver for the name and gets an
// answer — the first of the farm's addresses to try: one per real server (dns) or per site
// (mixed). Under local balancing everyone goes to the one site.

import type { Scenario } from '../../scenarios/schema.ts';
import { sampler } from '../engine/distributions.ts';
import { Rng } from '../engine/rng.ts';
import { AuthoritativeDns } from './dns.ts';
import type { RealServer } from './real-server.ts';
import { Resolvers } from './resolver.ts';
import type { Site } from './site.ts';

export class ClientPopulations {
  /** True when clients resolve the name (dns or mixed balancing). */
  readonly dns: boolean;
  /** Per address of the name: its site, and its real server (-1 when a director answers it). */
  readonly addressSite: Int32Array;
  readonly addressServer: Int32Array;
  private resolvers: Resolvers | null = null;
  /** Per population: first client index, first resolver id, resolver count. */
  private start: number[] = [];
  private firstResolver: number[] = [];
  private resolverCount: number[] = [];
  /** Round trip from population p to site s at [p * sites + s]. */
  private rttTable: Float64Array;
  private readonly sites: number;

  constructor(scenario: Scenario, sites: Site[], servers: RealServer[]) {
    const clients = scenario.clients.addresses;
    this.sites = sites.length;
    const pops = scenario.populations
      ?? [{ name: 'clients', share: 1, resolvers: Math.min(100, clients), rtt: {} as Record<string, number> }];
    this.rttTable = new Float64Array(pops.length * sites.length);
    let start = 0;
    let resolvers = 0;
    pops.forEach((p, i) => {
      this.start.push(start);
      this.firstResolver.push(resolvers);
      this.resolverCount.push(p.resolvers);
      start += Math.round(p.share * clients);
      resolvers += p.resolvers;
      sites.forEach((site, s) => (this.rttTable[i * sites.length + s] = p.rtt[site.name] ?? scenario.clients.rtt));
    });
    this.dns = scenario.balancing !== 'local';
    const site: number[] = [];
    const server: number[] = [];
    const weights: number[] = [];
    if (scenario.balancing === 'dns') {
      for (const s of servers) {
        site.push(s.site);
        server.push(s.index);
        weights.push(s.weight);
      }
    } else if (scenario.balancing === 'mixed') {
      for (const s of sites) {
        site.push(s.index);
        server.push(s.director ? -1 : s.servers[0]!.index);
        weights.push(s.servers.reduce((a, x) => a + x.weight, 0));
      }
    }
    this.addressSite = Int32Array.from(site);
    this.addressServer = Int32Array.from(server);
    if (!this.dns) return;
    const seed = scenario.seed;
    const auth = new AuthoritativeDns(site.length, scenario.dns.order, weights, new Rng(seed, 'dns'));
    this.resolvers = new Resolvers(resolvers, scenario.dns.ttl, scenario.dns.stale.share,
      sampler(scenario.dns.stale.extra, new Rng(seed, 'stale answers')), new Rng(seed, 'resolvers'), () => auth.answer());
  }

  /** The population client c belongs to. */
  populationOf(c: number): number {
    let p = this.start.length - 1;
    while (p > 0 && c < this.start[p]!) p--;
    return p;
  }

  /** The first address of the answer client c's resolver gives at `now` (DNS balancing only). */
  resolve(c: number, population: number, now: number): number {
    const resolver = this.firstResolver[population]! + ((c - this.start[population]!) % this.resolverCount[population]!);
    return this.resolvers!.resolve(resolver, now);
  }

  get populations(): number {
    return this.start.length;
  }

  rtt(population: number, site: number): number {
    return this.rttTable[population * this.sites + site]!;
  }

  get queries(): number {
    return this.resolvers?.queries ?? 0;
  }
}
