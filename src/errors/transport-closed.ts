// A request made after client.close(): final, never retried, and like every other client error a
// CyberArkError.
import { CyberArkError } from "./base.js";

export class TransportClosedError extends CyberArkError {
  readonly kind = "CLIENT_CLOSED" as const;

  constructor() {
    super("This client's transport was closed; create a new client to send more requests");
  }
}
