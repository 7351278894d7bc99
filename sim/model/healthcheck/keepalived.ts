// keepalived's TCP_CHECK on each real server of a virtual service: a check every delay_loop,
// a connect that waits up to connect_timeout, `retry` more tries delay_before_retry apart, then
// the real server is removed from the service (or given weight 0 with inhibit_on_failure) and
// added back when a check succeeds again. Each real server has its own checker, whose first
// check comes at a random instant of its first delay_loop — and a first check that fails
// removes the server at once, without retries (keepalived 2.2.7 in the lab logs "TCP_CHECK on
// service … failed." then, not "failed after N retries.", 8.6 s after a crash with
// connect_timeout 5 s, retry 1, delay_before_retry 1 s).

import type { Rng } from '../../engine/rng.ts';
import type { Director } from '../director.ts';
import type { RealServer } from '../real-server.ts';
import type { CheckerHost } from './probe.ts';

export interface KeepalivedSettings {
  delay_loop: number;
  connect_timeout: number;
  retry: number;
  delay_before_retry: number;
  inhibit_on_failure: boolean;
  warmup: number;
}

export class Keepalived {
  private down = new Set<RealServer>();
  /** Real servers whose checker has run once. */
  private checked = new Set<RealServer>();

  constructor(
    private settings: KeepalivedSettings,
    private director: Director,
    servers: RealServer[],
    private host: CheckerHost,
    rng: Rng,
  ) {
    for (const s of servers) {
      const start = rng.random() * settings.delay_loop + rng.random() * settings.warmup;
      host.at(start, (now) => this.check(now, s, 0));
    }
  }

  private check(now: number, server: RealServer, attempt: number): void {
    const result = this.host.probe(server);
    const s = this.settings;
    const first = !this.checked.has(server);
    this.checked.add(server);
    const after = now + (result === 'silent' ? s.connect_timeout : 0);
    if (result === 'ok') {
      if (this.down.has(server)) {
        this.down.delete(server);
        this.host.log(now, server, `TCP connection to [${server.name}]:tcp:80 success. Adding service [${server.name}]:tcp:80 to VS [FWM 1]`);
        if (s.inhibit_on_failure) this.director.setWeight(server, server.configuredWeight);
        else this.director.add(server);
      }
      this.host.at(now + s.delay_loop, (t) => this.check(t, server, 0));
      return;
    }
    this.host.at(after, (t) => {
      const why = result === 'silent' ? 'timeout' : 'connection refused';
      if (attempt < s.retry && !first) {
        this.host.log(t, server, `TCP_CHECK on service [${server.name}]:tcp:80 failed (${why}); retrying in ${s.delay_before_retry}s`);
        this.host.at(t + s.delay_before_retry, (t2) => this.check(t2, server, attempt + 1));
        return;
      }
      if (!this.down.has(server)) {
        this.down.add(server);
        this.host.log(t, server, `TCP_CHECK on service [${server.name}]:tcp:80 failed${first ? '' : ` after ${s.retry} retry`}. ${s.inhibit_on_failure ? 'Setting weight 0 of' : 'Removing'} service [${server.name}]:tcp:80 ${s.inhibit_on_failure ? 'in' : 'from'} VS [FWM 1]`);
        this.host.detected(t, server);
        if (s.inhibit_on_failure) this.director.setWeight(server, 0);
        else this.director.remove(server);
        this.host.moved(t, server);
      }
      this.host.at(t + s.delay_loop, (t2) => this.check(t2, server, 0));
    });
  }
}
