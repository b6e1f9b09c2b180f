// A call of an operation that the operation tables say does not exist on the client's kind of
// deployment (a self-hosted-only operation on a Privilege Cloud client, or the reverse). Thrown before
// anything is sent: such a call would otherwise come back as a 404 or an HTML page that says nothing
// about why.
import type { DeploymentType } from "../deployment.js";
import { CyberArkError } from "./base.js";

const NAMES: Record<DeploymentType, string> = { "self-hosted": "self-hosted PAM (PVWA)", "privilege-cloud": "Privilege Cloud" };

export class UnsupportedOperationError extends CyberArkError {
  readonly kind = "UNSUPPORTED_OPERATION" as const;
  readonly method: string;
  /** The path template of the call, e.g. "/Themes/". */
  readonly pathTemplate: string;
  readonly operationId: string | undefined;
  /** Where the operation exists. */
  readonly operationDeployment: DeploymentType;
  /** The client's deployment. */
  readonly deployment: DeploymentType;

  constructor(init: { method: string; pathTemplate: string; operationId?: string | undefined; operationDeployment: DeploymentType; deployment: DeploymentType }) {
    const name = `${init.method} ${init.pathTemplate}${init.operationId ? ` (${init.operationId})` : ""}`;
    super(
      `${name} exists only on ${NAMES[init.operationDeployment]}, and this client is for ${NAMES[init.deployment]}; nothing was sent ` +
        "(set allowOperationsOfOtherDeployment: true on the client to send it anyway)",
    );
    this.method = init.method;
    this.pathTemplate = init.pathTemplate;
    this.operationId = init.operationId;
    this.operationDeployment = init.operationDeployment;
    this.deployment = init.deployment;
  }

  protected override details(): Record<string, unknown> {
    return {
      method: this.method,
      pathTemplate: this.pathTemplate,
      ...(this.operationId === undefined ? {} : { operationId: this.operationId }),
      operationDeployment: this.operationDeployment,
      deployment: this.deployment,
    };
  }
}
