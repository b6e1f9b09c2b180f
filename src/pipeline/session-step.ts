// Authorization and 401 renewal. Requests to the deployment's own origins wait for the session (one
// shared logon for all concurrent calls) and leave with its Authorization header. A 401 on a
// renewable session logs on again, once per call, before the 401 goes back: the retry step then
// replays the request (through the hooks again). A token known to be stale never leaves (CyberArk's
// stale-token rule, see core/session.ts): the call waits for the next logon.
import type { SessionManager } from "../core/session.js";
import { untilAborted } from "../core/wait.js";
import { originOf, withHeader } from "../transport/http-request.js";
import type { Call, Step } from "./call.js";

export interface SessionStepOptions {
  session: SessionManager;
  /** Origins the session's Authorization header may go to. */
  tokenOrigins: ReadonlySet<string>;
  /** False for a fixed token: a 401 cannot be cured by logging on again. */
  canRenew: boolean;
}

export function sessionStep({ session, tokenOrigins, canRenew }: SessionStepOptions): Step {
  return (next) => async (call: Call) => {
    if (!tokenOrigins.has(originOf(call.request.url))) return next(call);
    // An ended call starts no logon.
    if (call.signal.aborted) throw call.signal.reason;
    let active = session.current() ?? (await untilAborted(session.acquire(), call.signal));
    while (!session.usable(active)) active = await untilAborted(session.acquire(), call.signal);
    // Counted from here until answered: the next logon waits for requests still out with this token.
    const answered = session.sending(active);
    let response: Response;
    try {
      response = await next({ ...call, request: withHeader(call.request, "authorization", active.session.authorization) });
    } finally {
      answered();
    }
    // Once per call: a second 401 goes back to the caller as an AuthenticationError.
    if (response.status === 401 && canRenew && !call.record.afterRelogon) {
      call.record.afterRelogon = true;
      await untilAborted(session.renew(active.generation), call.signal);
    }
    return response;
  };
}
