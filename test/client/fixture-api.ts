// Small hand-written path types and operation tables in the shape openapi-typescript and the
// generator emit, so client behaviour can be tested independently of the full generated API.
import type { ClientApi } from "../../src/client.js";

interface ErrorBody {
  ErrorCode?: string;
  ErrorMessage?: string;
  Details?: unknown;
}
interface ErrorResponses {
  400: { headers: { [name: string]: unknown }; content: { "application/json": ErrorBody } };
  401: { headers: { [name: string]: unknown }; content: { "application/json": ErrorBody } };
  500: { headers: { [name: string]: unknown }; content: { "application/json": ErrorBody } };
}
export interface Account {
  id?: string;
  name?: string;
  safeName?: string;
  userName?: string;
}
type NoParams = { query?: never; header?: never; path?: never; cookie?: never };

export interface FixturePaths {
  "/Accounts": {
    parameters: NoParams;
    get: {
      parameters: { query?: { search?: string; offset?: number; limit?: number; savedFilter?: string }; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: { 200: { headers: { [name: string]: unknown }; content: { "application/json": { value?: Account[]; count?: number; nextLink?: string } } } } & ErrorResponses;
    };
    put?: never;
    post: {
      parameters: NoParams;
      requestBody: { content: { "application/json": { safeName: string; platformId: string; address?: string; userName?: string; secret?: string } } };
      responses: { 201: { headers: { [name: string]: unknown }; content: { "application/json": Account } }; 409: { headers: { [name: string]: unknown }; content: { "application/json": ErrorBody } } } & ErrorResponses;
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/Accounts/{id}": {
    parameters: NoParams;
    get: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody?: never;
      responses: { 200: { headers: { [name: string]: unknown }; content: { "application/json": Account } } } & ErrorResponses;
    };
    put: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody: { content: { "application/json": Account } };
      responses: { 200: { headers: { [name: string]: unknown }; content: { "application/json": Account } } } & ErrorResponses;
    };
    post?: never;
    delete: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody?: never;
      responses: { 204: { headers: { [name: string]: unknown }; content?: never } } & ErrorResponses;
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/Accounts/{id}/Password/Retrieve": {
    parameters: NoParams;
    get?: never;
    put?: never;
    post: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody?: { content: { "application/json": { reason?: string } } };
      responses: { 200: { headers: { [name: string]: unknown }; content: { "application/json": string } } } & ErrorResponses;
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/Accounts/{id}/Change": {
    parameters: NoParams;
    get?: never;
    put?: never;
    post: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody?: { content: { "application/json": { ChangeEntireGroup?: boolean } } };
      responses: { 200: { headers: { [name: string]: unknown }; content?: never } } & ErrorResponses;
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/Themes": {
    parameters: NoParams;
    get: {
      parameters: NoParams;
      requestBody?: never;
      responses: { 200: { headers: { [name: string]: unknown }; content: { "application/json": { Themes?: string[] } } }; 501: { headers: { [name: string]: unknown }; content: { "application/json": ErrorBody } } } & ErrorResponses;
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}

export interface FixtureGen1Paths {
  "/PIMServices.svc/Server": {
    parameters: NoParams;
    get: {
      parameters: NoParams;
      requestBody?: never;
      responses: { 200: { headers: { [name: string]: unknown }; content: { "application/json": { ExternalVersion?: string } } } };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}

/** The fixture as a client's `api`: tables at run time, path types for the compiler. */
export interface FixtureApi extends ClientApi {
  readonly __paths?: { readonly gen2: FixturePaths; readonly gen1: FixtureGen1Paths; readonly pcloud: {} };
}

export const fixtureApi: FixtureApi = {
  gen2: {
    "GET /Accounts": { operationId: "Accounts_GetAccounts", minVersion: "10.4", secretChange: false },
    "POST /Accounts": { operationId: "Accounts_AddAccount", minVersion: "10.4", secretChange: false },
    "GET /Accounts/{id}": { operationId: "Accounts_GetAccount", secretChange: false },
    "PUT /Accounts/{id}": { operationId: "Accounts_PutAccount", secretChange: false },
    "DELETE /Accounts/{id}": { operationId: "Accounts_DeleteAccount", secretChange: false },
    "POST /Accounts/{id}/Password/Retrieve": { operationId: "Accounts_GetPassword", secretChange: false },
    "POST /Accounts/{id}/Change": { operationId: "Accounts_ChangeCredentials", secretChange: true },
    "GET /Themes": { operationId: "Themes_GetThemes", minVersion: "14.4", secretChange: false },
  },
  gen1: { "GET /PIMServices.svc/Server": { operationId: "Server_GetServer", secretChange: false } },
  pcloud: {},
};
