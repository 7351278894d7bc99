// The director's picture, read through the console and parsed: IPVS services with their real
// servers and counters (ipvsadm -Ln --stats, plus the connection columns of -Ln) and the mangle
// PREROUTING rules with their counters — what the deck showed with ipvsadm -l and iptables -nvL.

import type { LabFarm } from './providers/provider.ts';

export interface RealServerStatus {
  address: string;
  forward: string;
  weight: number;
  activeConns: number;
  inactConns: number;
  conns: number;
  inPkts: number;
  outPkts: number;
  inBytes: number;
  outBytes: number;
}

export interface ServiceStatus {
  /** "FWM 1", "TCP 192.0.2.10:80" */
  service: string;
  scheduler: string;
  flags: string;
  servers: RealServerStatus[];
  conns: number;
  inPkts: number;
  outPkts: number;
}

export interface MangleRule {
  pkts: number;
  bytes: number;
  target: string;
  destination: string;
  mark?: number;
  text: string;
}

export interface DirectorStatus {
  services: ServiceStatus[];
  mangle: MangleRule[];
}

/** 1134K, 119M → numbers (iptables and ipvsadm abbreviate large counters). */
export function counter(text: string): number {
  const m = /^(\d+)([KMGT]?)$/.exec(text);
  if (!m) return Number.NaN;
  const mult = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12 }[m[2] as '' | 'K' | 'M' | 'G' | 'T'];
  return Number(m[1]) * mult;
}

/** A real server's line of `ipvsadm -Ln --stats` ("  -> 10.0.1.11:80  32  4566  7107  300148  21636815"), or undefined. */
export function statsLine(line: string): { address: string; conns: number; inPkts: number; outPkts: number; inBytes: number; outBytes: number } | undefined {
  const rs = /^\s*->\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)$/.exec(line.trimEnd());
  if (!rs || rs[1] === 'RemoteAddress:Port') return undefined;
  return { address: rs[1]!, conns: counter(rs[2]!), inPkts: counter(rs[3]!), outPkts: counter(rs[4]!), inBytes: counter(rs[5]!), outBytes: counter(rs[6]!) };
}

/** Parses `ipvsadm -Ln` (weights, connections) and `ipvsadm -Ln --stats` (traffic) together. */
export function parseIpvsadm(list: string, stats: string): ServiceStatus[] {
  const services: ServiceStatus[] = [];
  const byKey = new Map<string, ServiceStatus>();
  let current: ServiceStatus | undefined;
  for (const line of list.split('\n').map((l) => l.trimEnd())) {
    const svc = /^(TCP|UDP|FWM|SCTP)\s+(\S+)\s+(\S+)(?:\s+(.*))?$/.exec(line.trim());
    if (svc && !line.startsWith(' ')) {
      current = { service: `${svc[1]} ${svc[2]}`, scheduler: svc[3]!, flags: (svc[4] ?? '').trim(), servers: [], conns: 0, inPkts: 0, outPkts: 0 };
      services.push(current);
      byKey.set(current.service, current);
      continue;
    }
    const rs = /^\s*->\s+(\S+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)$/.exec(line);
    if (rs && current && rs[1] !== 'RemoteAddress:Port') {
      current.servers.push({ address: rs[1]!, forward: rs[2]!, weight: Number(rs[3]), activeConns: Number(rs[4]), inactConns: Number(rs[5]), conns: 0, inPkts: 0, outPkts: 0, inBytes: 0, outBytes: 0 });
    }
  }
  current = undefined;
  for (const line of stats.split('\n').map((l) => l.trimEnd())) {
    const svc = /^(TCP|UDP|FWM|SCTP)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)/.exec(line.trim());
    if (svc && !line.startsWith(' ')) {
      current = byKey.get(`${svc[1]} ${svc[2]}`);
      if (current) Object.assign(current, { conns: counter(svc[3]!), inPkts: counter(svc[4]!), outPkts: counter(svc[5]!) });
      continue;
    }
    const rs = statsLine(line);
    if (rs && current) {
      const s = current.servers.find((x) => x.address === rs.address);
      if (s) Object.assign(s, { conns: rs.conns, inPkts: rs.inPkts, outPkts: rs.outPkts, inBytes: rs.inBytes, outBytes: rs.outBytes });
    }
  }
  return services;
}

/** Parses `iptables -t mangle -nvxL PREROUTING`. */
export function parseMangle(text: string): MangleRule[] {
  const rules: MangleRule[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+[KMGT]?)\s+(\d+[KMGT]?)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!m || m[1] === 'pkts') continue;
    const mark = /MARK set (0x[0-9a-f]+)/.exec(m[10]!);
    rules.push({ pkts: counter(m[1]!), bytes: counter(m[2]!), target: m[3]!, destination: m[9]!, mark: mark ? Number(mark[1]) : undefined, text: line.trim() });
  }
  return rules;
}

export async function readStatus(farm: LabFarm): Promise<DirectorStatus> {
  const list = await farm.exec('director', 'ipvsadm -Ln', { check: true });
  const stats = await farm.exec('director', 'ipvsadm -Ln --stats', { check: true });
  const mangle = await farm.exec('director', 'iptables -t mangle -nvxL PREROUTING', { check: true });
  return { services: parseIpvsadm(list.stdout, stats.stdout), mangle: parseMangle(mangle.stdout) };
}

const FORWARD: Record<string, string> = { Masq: 'Masq', Route: 'Route', Tunnel: 'Tunnel', Local: 'Local' };

/** The deck's picture: services, real servers with weight and connections, then the mark rules. */
export function formatStatus(s: DirectorStatus, names: Record<string, string> = {}): string {
  const out: string[] = ['Prot LocalAddress:Port Scheduler Flags', '  -> RemoteAddress:Port      Forward Weight ActiveConn InActConn    Conns   InPkts  OutPkts'];
  for (const svc of s.services) {
    out.push(`${svc.service} ${svc.scheduler}${svc.flags ? ` ${svc.flags}` : ''}`.padEnd(40) + `conns ${svc.conns} in ${svc.inPkts} out ${svc.outPkts} packets`);
    for (const r of svc.servers) {
      const name = names[r.address.replace(/:\d+$/, '')];
      out.push(`  -> ${(name ? `${name} ${r.address}` : r.address).padEnd(22)} ${(FORWARD[r.forward] ?? r.forward).padEnd(7)} ${String(r.weight).padStart(6)} ${String(r.activeConns).padStart(10)} ${String(r.inactConns).padStart(9)} ${String(r.conns).padStart(8)} ${String(r.inPkts).padStart(8)} ${String(r.outPkts).padStart(8)}`);
    }
  }
  if (s.services.length === 0) out.push('(no IPVS service)');
  out.push('', 'mangle PREROUTING (the VIP mark):', `${'pkts'.padStart(8)} ${'bytes'.padStart(10)}  rule`);
  for (const r of s.mangle) out.push(`${String(r.pkts).padStart(8)} ${String(r.bytes).padStart(10)}  ${r.target} tcp to ${r.destination}${r.mark !== undefined ? ` → mark ${r.mark}` : ''}`);
  if (s.mangle.length === 0) out.push('(no rule)');
  return out.join('\n');
}
