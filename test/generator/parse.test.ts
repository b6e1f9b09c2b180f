// Step "parse": what the bytes are, said in one sentence when they are not a Swagger/OpenAPI document.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GenerateError } from "../../scripts/lib/errors.js";
import { findJsonErrorOffset, lineAndColumn } from "../../scripts/lib/json-error-position.js";
import { classifyBody, parseSource } from "../../scripts/steps/parse.js";

const bytes = (text: string) => Buffer.from(text, "utf8");

function parseError(text: string, label = "spec/x.json", contentType?: string): string {
  try {
    parseSource(contentType === undefined ? { bytes: bytes(text), label } : { bytes: bytes(text), label, contentType });
  } catch (error) {
    expect(error).toBeInstanceOf(GenerateError);
    expect((error as GenerateError).step).toBe("parse");
    return (error as Error).message;
  }
  throw new Error("expected a parse error");
}

describe("parseSource", () => {
  it("accepts Swagger 2.0 and OpenAPI 3.0/3.1, with or without a BOM", () => {
    expect(parseSource({ bytes: bytes('\ufeff{"swagger":"2.0"}'), label: "f" })).toMatchObject({ isSwagger2: true, version: "2.0" });
    expect(parseSource({ bytes: bytes('{"openapi":"3.0.3"}'), label: "f" })).toMatchObject({ isSwagger2: false, version: "3.0.3" });
    expect(parseSource({ bytes: bytes('{"openapi":"3.1.0"}'), label: "f" }).version).toBe("3.1.0");
  });

  it("recognises an HTML page by its content type or its first character", () => {
    expect(parseError("<!doctype html><html></html>", "https://p.example/doc")).toBe(
      "the URL https://p.example/doc returned an HTML page (probably a sign-in page), not a Swagger document.",
    );
    expect(parseError('{"looks":"like json"}', "https://p.example/doc", "text/html")).toContain("an HTML page");
    expect(parseError("  <html>", "spec/a.json")).toBe("spec/a.json is an HTML page (probably a sign-in page), not a Swagger document.");
  });

  it("gives line and column of invalid JSON, also where V8 reports no position", () => {
    expect(parseError('{\n  "swagger": "2.0",\n  "info": tru\n}')).toMatch(/not valid JSON at line 3, column 14: /);
    expect(parseError('{\n  "a": 1,\n}')).toMatch(/at line 3, column 1: /);
    expect(parseError("")).toContain("empty");
  });

  it("says when JSON is not a Swagger/OpenAPI document or an unsupported version", () => {
    expect(parseError('{"value": []}')).toContain('no "swagger": "2.0" or "openapi": "3.x" field');
    expect(parseError("[1,2]")).toContain("not an object");
    expect(parseError('{"swagger":"1.2"}')).toContain("only 2.0 is supported");
    expect(parseError('{"openapi":"2.5.0"}')).toContain("only 3.0.x and 3.1.x");
  });
});

describe("findJsonErrorOffset", () => {
  it("finds nothing wrong in any valid JSON", () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => findJsonErrorOffset(JSON.stringify(v, null, 1)) === -1));
  });

  it("agrees with V8 wherever V8 states a position", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), fc.string({ minLength: 1, maxLength: 2 }), (v, at, junk) => {
        const text = JSON.stringify(v);
        const cut = at % (text.length + 1);
        const broken = text.slice(0, cut) + junk + text.slice(cut);
        let v8: number | undefined;
        try {
          JSON.parse(broken);
          return true; // the junk happened to keep it valid
        } catch (error) {
          const m = /at position (\d+)/.exec((error as Error).message);
          if (m) v8 = Number(m[1]);
        }
        const ours = findJsonErrorOffset(broken);
        expect(ours).toBeGreaterThanOrEqual(0);
        if (v8 !== undefined) expect(ours).toBe(v8);
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it("converts offsets to 1-based line and column", () => {
    expect(lineAndColumn("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
  });
});
