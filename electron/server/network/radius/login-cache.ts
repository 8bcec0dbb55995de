/**
 * Every live service login in memory, kept in step with the datastore through the change log of
 * migration 1300: the server applies what changed since its cursor whenever another connection
 * has committed, so an Access-Request never waits for SQL and an office edit is seen by the very
 * next request. Pure: the reads are the lookup's.
 */
import type { ServiceLogin } from './answer';
import type { ServiceLogins } from './lookup';

export class ServiceLoginCache {
  private readonly byLogin = new Map<string, ServiceLogin>();
  private readonly loginOfService = new Map<number, string>();
  /** The last change-log id applied. */
  cursor = 0;

  /** Replaces everything with a full read. */
  load(all: ServiceLogins): void {
    this.byLogin.clear();
    this.loginOfService.clear();
    this.apply(all);
  }

  /** Applies a read of changed services: each listed service loses its old login, then gets its new one. */
  apply(read: ServiceLogins): void {
    for (const id of read.changedIds) {
      const login = this.loginOfService.get(id);
      if (login === undefined) continue;
      this.loginOfService.delete(id);
      if (this.byLogin.get(login)?.serviceId === id) this.byLogin.delete(login);
    }
    // After every removal: two services may have swapped logins in one commit.
    for (const [login, record] of read.records) {
      this.byLogin.set(login, record);
      this.loginOfService.set(record.serviceId, login);
    }
    this.cursor = read.cursor;
  }

  get(login: string): ServiceLogin | undefined {
    return this.byLogin.get(login);
  }

  get size(): number {
    return this.byLogin.size;
  }
}
