// Whether an operation exists on the client's kind of deployment, from the `deployment` of its table
// row, checked before a call sends anything. Operations of the other deployment are refused with an
// UnsupportedOperationError, or, when the client allows them, sent after one warning per operation.
// An operation's minVersion is not checked here: the client never learns the server's version, and a
// server without the operation says so itself (a 501 NotImplementedError names the minimum version).
import type { DeploymentType } from "../deployment.js";
import { UnsupportedOperationError } from "../errors/unsupported-operation.js";
import type { Logger } from "../logging/logger.js";
import type { OperationInfo } from "./operation.js";

/** Throws, or warns, when `operation` does not exist on the client's deployment. */
export type OperationCheck = (method: string, pathTemplate: string, operation: OperationInfo | undefined) => void;

export function operationAvailability(options: { deployment: DeploymentType; allowOtherDeployment: boolean; logger: Logger }): OperationCheck {
  const { deployment, allowOtherDeployment, logger } = options;
  // Per client: once per operation is enough to be noticed, and a bulk job does not flood the log.
  const warned = new Set<string>();
  return (method, pathTemplate, operation) => {
    const where = operation?.deployment;
    if (where === undefined || where === "both" || where === deployment) return;
    if (!allowOtherDeployment) {
      throw new UnsupportedOperationError({ method, pathTemplate, operationId: operation?.operationId, operationDeployment: where, deployment });
    }
    const key = `${method} ${pathTemplate}`;
    if (warned.has(key)) return;
    warned.add(key);
    logger.warn(`sending ${key}, which exists only on ${where}, to a ${deployment} deployment (allowOperationsOfOtherDeployment)`, {
      method,
      pathTemplate,
      operationId: operation?.operationId,
    });
  };
}
