import type BetterSqlite3 from 'better-sqlite3';
import type { Db } from '../db/open';
import type { SessionReport } from '../network/radius/accounting';
import { createUsageIngest, radiusSessionKey, type Counted } from './ingest';

/**
 * Counts RADIUS accounting reports into usage. A session that is not live but has a stopped row
 * in the session table ended before this report arrived: the report is late and adds nothing.
 */
export function countRadiusReport(db: Db, sqlite: BetterSqlite3.Database): (report: SessionReport) => Counted {
  const ingest = createUsageIngest(db, sqlite);
  const stopped = sqlite.prepare(
    db
      .selectFrom('radius_sessions')
      .select('id')
      .where('nas_address', '=', '')
      .where('acct_session_id', '=', '')
      .where('login', '=', '')
      .where('stopped_at', 'is not', null)
      .compile().sql,
  );
  return (r) =>
    ingest.count(
      {
        source: 'radius',
        sessionKey: radiusSessionKey(r.nasAddress, r.acctSessionId, r.login),
        serviceId: r.serviceId,
        hotspotUserId: r.hotspotUserId,
        routerId: r.routerId,
        login: r.login,
        at: r.at,
        startedAt: r.startedAt,
        stop: r.kind === 'stop',
        counters: { sessionSeconds: r.sessionSeconds, input: r.inputBytes, output: r.outputBytes },
      },
      () => stopped.get(r.nasAddress, r.acctSessionId, r.login) !== undefined,
    );
}
