/** Handlers of the control-lease and audit commands (contract: the access control block). */
import type { AccessCommandName } from '../api/contract';
import type { AuditLog } from './audit-log';
import type { Handlers } from './command-handlers';
import type { ControlLease } from './control-lease';

export function createAccessHandlers(
  lease: ControlLease,
  audit: AuditLog,
): Pick<Handlers, AccessCommandName> {
  return {
    'control.request': async (_p, ctx) => lease.request(ctx),
    'control.release': async (_p, ctx) => {
      lease.release(ctx);
      return {};
    },
    'control.handOver': async (p, ctx) => {
      lease.handOver(ctx, p.clientId);
      return {};
    },
    'control.take': async (_p, ctx) => {
      lease.take(ctx);
      return {};
    },
    'control.heartbeat': async (_p, ctx) => lease.heartbeat(ctx),
    'audit.query': async (p) => ({ entries: audit.query(p) }),
  };
}
