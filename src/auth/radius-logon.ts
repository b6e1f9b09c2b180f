// RADIUS logon, both ways RADIUS servers are set up:
// - append mode: the OTP travels with the password as "<password><delimiter><otp>";
// - challenge mode: the first POST answers 500 with ErrorCode ITATS542I and the prompt in
//   ErrorMessage; the answer is posted to the same URL in the same cookie session as
//   {username, password: <answer>}, repeated while the server keeps challenging (bounded).
import { parseErrorBody } from "../errors/from-response.js";
import { ConfigurationError } from "../errors/configuration.js";
import { requireUserPassword } from "./credentials.js";
import { LogonFailedError } from "../errors/status-errors.js";
import { gen2Logoff } from "./gen2-logoff.js";
import { vaultSessionFrom } from "./token-response.js";
import type { AuthStrategy } from "./types.js";
import { JSON_HEADERS, vaultBody } from "./vault-logon.js";

const CHALLENGE_CODE = "ITATS542I";

export type OtpSource = string | ((prompt: string) => string | Promise<string>);

export interface RadiusLogonOptions {
  username: string;
  password: string;
  /** A fixed OTP (append mode), or a callback asked for each challenge (or once, in append mode). */
  otp?: OtpSource;
  /** Default: "challenge" when `otp` is a function or absent, "append" when it is a string. */
  mode?: "append" | "challenge";
  /** Between password and OTP in append mode. Default ",". */
  delimiter?: string;
  /** Most challenges answered before giving up. Default 5. */
  maxChallenges?: number;
  concurrentSession?: boolean;
}

async function answer(otp: OtpSource | undefined, prompt: string): Promise<string | undefined> {
  if (otp === undefined) return undefined;
  return typeof otp === "string" ? otp : await otp(prompt);
}

export function radiusLogon(options: RadiusLogonOptions): AuthStrategy {
  requireUserPassword("radiusLogon", options);
  const mode = options.mode ?? (typeof options.otp === "string" ? "append" : "challenge");
  const maxChallenges = options.maxChallenges ?? 5;
  return {
    name: "radius",
    // A one-time password may already be spent, and a second try would ask the user again.
    mayRetryLogon: () => false,
    async logon(ctx) {
      ctx.secret(options.password);
      if (typeof options.otp === "string") ctx.secret(options.otp);
      const url = `${ctx.deployment.gen2Base}/auth/RADIUS/Logon`;
      let password = options.password;
      if (mode === "append") {
        const otp = await answer(options.otp, "RADIUS one-time password");
        if (otp === undefined) throw new ConfigurationError("radiusLogon in append mode needs an otp (a string or a callback)");
        ctx.secret(otp);
        password = `${options.password}${options.delimiter ?? ","}${otp}`;
        ctx.secret(password);
      }
      let body = vaultBody({ username: options.username, password, concurrentSession: options.concurrentSession });
      for (let challenges = 0; ; challenges++) {
        const response = await ctx.send(url, { method: "POST", headers: { ...JSON_HEADERS }, body });
        if (response.ok) return vaultSessionFrom(ctx, response, url);
        if (response.status !== 500) throw await ctx.fail(response, url, "POST");
        const text = await response.text();
        const parsed = parseErrorBody(text, response.headers.get("content-type"));
        if (parsed.errorCode !== CHALLENGE_CODE) throw await ctx.fail(response, url, "POST", text);
        if (challenges >= maxChallenges) {
          throw new LogonFailedError(failure(url, `the RADIUS server kept challenging after ${maxChallenges} answers`));
        }
        const reply = typeof options.otp === "function" ? await options.otp(parsed.errorMessage ?? "") : undefined;
        if (reply === undefined) {
          throw new LogonFailedError(
            failure(url, "the RADIUS server sent a challenge (ITATS542I) but no otp callback was given to answer it"),
          );
        }
        ctx.secret(reply);
        body = JSON.stringify({ username: options.username, password: reply });
      }
    },
    logoff: gen2Logoff,
  };
}

function failure(url: string, summary: string) {
  return { status: 500, method: "POST", urlPath: new URL(url).pathname, bodyKind: "json" as const, errorCode: CHALLENGE_CODE, duringLogon: true, summary };
}
