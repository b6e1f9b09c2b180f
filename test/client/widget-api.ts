// A hand-made `api` value shaped like generated/index.ts's `api` (tables plus type-only paths),
// with paths the bundled generation lacks, to prove createCyberArkClient is typed and driven by it.

export interface Widget {
  id?: string;
  color?: string;
}
type NoParams = { query?: never; header?: never; path?: never; cookie?: never };
type Json<T> = { headers: { [name: string]: unknown }; content: { "application/json": T } };
type Unused = { put?: never; post?: never; delete?: never; options?: never; head?: never; patch?: never; trace?: never };

export interface WidgetPaths {
  "/Widgets": {
    parameters: NoParams;
    get: {
      parameters: { query?: { color?: string; skip?: number; take?: number }; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: { 200: Json<{ Widgets?: Widget[]; Total?: number }> };
    };
  } & Unused;
  "/Widgets/{id}": {
    parameters: NoParams;
    get?: never;
    put: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody: { content: { "application/json": { color: string } } };
      responses: { 200: Json<Widget> };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}

const widgetOperations = {
  "GET /Widgets": {
    operationId: "Widgets_List",
    method: "GET",
    path: "/Widgets",
    deployment: "both",
    secretChange: false,
    // Not CyberArk's offset/limit names: only this table can tell paginate() to use them.
    paging: { style: "offset", items: "Widgets", total: "Total", offsetParam: "skip", limitParam: "take", maxLimit: 2 },
  },
  "PUT /Widgets/{id}": {
    operationId: "Widgets_Rekey",
    method: "PUT",
    path: "/Widgets/{id}",
    deployment: "both",
    // PUT is retried by method; this row must stop that.
    secretChange: true,
  },
} as const;

export interface WidgetApi {
  readonly gen2: typeof widgetOperations;
  readonly gen1: {};
  readonly pcloud: {};
  readonly __paths?: { readonly gen2: WidgetPaths; readonly gen1: {}; readonly pcloud: {} };
}

export const widgetApi: WidgetApi = { gen2: widgetOperations, gen1: {}, pcloud: {} };
