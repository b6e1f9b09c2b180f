// The two operations the baselines call, typed as openapi-typescript would type them. Kept local so
// the baselines do not depend on the generated folder's exact exports.
import type { FakeAccount } from "../fixtures/accounts.js";

interface ErrorBody {
  ErrorCode?: string;
  ErrorMessage?: string;
}

export interface MinimalPaths {
  "/Accounts": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: { offset?: number; limit?: number; search?: string; filter?: string }; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: {
        200: { headers: { [name: string]: unknown }; content: { "application/json": { value?: FakeAccount[]; count?: number; nextLink?: string } } };
        default: { headers: { [name: string]: unknown }; content: { "application/json": ErrorBody } };
      };
    };
  };
  "/Accounts/{id}": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody?: never;
      responses: {
        200: { headers: { [name: string]: unknown }; content: { "application/json": FakeAccount } };
        default: { headers: { [name: string]: unknown }; content: { "application/json": ErrorBody } };
      };
    };
  };
}
