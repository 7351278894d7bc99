// What the farm costs per month, from the scenario's prices.

import type { Scenario } from '../scenarios/schema.ts';

export interface CostBreakdown {
  total: number;
  servers: number;
  directors: number;
  sites: number;
  uplink: number;
}

export function farmCost(s: Scenario): CostBreakdown | undefined {
  const c = s.costs;
  if (!c) return undefined;
  let servers = 0;
  let directors = 0;
  let uplink = 0;
  for (const site of s.sites) {
    for (const sv of site.servers) servers += c.server + c.core * sv.cores;
    if (site.director) directors += c.director * (site.director.standby ? 2 : 1);
    if (Number.isFinite(site.uplink)) uplink += c.mbps * (site.uplink / 1e6);
  }
  const sites = c.site * s.sites.length;
  return { total: servers + directors + sites + uplink, servers, directors, sites, uplink };
}
