// monit on the director, as the course runs it: a daemon that wakes every cycle and checks
// port 80 of each web server in turn (`if failed port 80 … for N cycles then restart`). A check
// of a silent host blocks the daemon for the whole connect timeout. The "restart" is the deck's
// web_balancing.sh, which re-marks VIP traffic to the survivor's own fwmark service — and runs
// again every cycle while the check keeps failing. The deck's script flushes the mangle chain
// and re-adds a rule (a gap in which SYNs go unmarked and the director resets them) and has no
// way back; the corrected one replaces the rule in place and sends traffic back on recovery.

import type { Rng } from '../../engine/rng.ts';
import type { Director } from '../director.ts';
import type { RealServer } from '../real-server.ts';
import type { CheckerHost } from './probe.ts';

export interface MonitSettings {
  cycle: number;
  timeout: number;
  cycles: number;
  action: 'deck' | 'corrected';
  flush_gap: number;
}

export class Monit {
  private failures: number[];
  /** Servers the script has moved traffic away from (and not back). */
  private movedAway = new Set<RealServer>();

  constructor(
    private settings: MonitSettings,
    private director: Director,
    private servers: RealServer[],
    private host: CheckerHost,
    rng: Rng,
  ) {
    this.failures = servers.map(() => 0);
    // The daemon started at some moment before the run: its phase is anyone's guess.
    host.at(rng.random() * settings.cycle, (now) => this.check(now, 0));
  }

  private check(now: number, i: number): void {
    if (i === this.servers.length) {
      this.host.at(now + this.settings.cycle, (t) => this.check(t, 0));
      return;
    }
    const server = this.servers[i]!;
    const result = this.host.probe(server);
    const spent = result === 'silent' ? this.settings.timeout : 0;
    const after = now + spent;
    if (result === 'ok') {
      this.failures[i] = 0;
      if (this.movedAway.has(server) && this.settings.action === 'corrected') {
        this.host.log(now, server, `'${server.name}' succeeded testing protocol [HTTP] at port 80 — exec 'web_balancing.sh alive ${i + 1}'`);
        this.director.markedTo = 'all';
        this.movedAway.clear();
      }
      this.check(now, i + 1);
      return;
    }
    // The verdict comes when the connect attempt ends; the daemon is blocked until then.
    this.host.at(after, (t) => {
      const why = result === 'silent' ? `connection timed out after ${this.settings.timeout}s` : 'connection refused';
      this.failures[i]!++;
      this.host.log(t, server, `'${server.name}' failed protocol test [HTTP] at port 80 (${why})`);
      if (this.failures[i]! >= this.settings.cycles) this.act(t, i, server);
      this.check(t, i + 1);
    });
  }

  private act(now: number, i: number, dead: RealServer): void {
    const survivor = this.servers.find((s) => s !== dead) ?? dead;
    const first = !this.movedAway.has(dead);
    this.host.log(now, dead, `'${dead.name}' trying to restart — exec 'web_balancing.sh dead ${i + 1}'`);
    if (first) this.host.detected(now, dead);
    this.movedAway.add(dead);
    if (this.settings.action === 'deck' && this.settings.flush_gap > 0) {
      // iptables -t mangle -F PREROUTING … then -A: SYNs in between are not marked.
      this.director.markedTo = 'nowhere';
      this.host.at(now + this.settings.flush_gap, (t) => {
        this.director.markedTo = survivor;
        if (first) this.host.moved(t, dead);
      });
    } else {
      this.director.markedTo = survivor;
      if (first) this.host.moved(now, dead);
    }
  }
}
