// Test-only PKI: a throwaway CA, a server certificate for 127.0.0.1/localhost, and a client
// certificate, made with the system's openssl into a temporary folder once per test file.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestPki {
  dir: string;
  caCertPath: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  clientCertPath: string;
  clientKeyPath: string;
  cleanup(): void;
}

// EC keys: an RSA-2048 key takes openssl about half a second, an EC key about 10 ms.
function ssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: "pipe" });
}

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), "cyberark-pki-"));
  ssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=Test CA",
    "-keyout", "ca.key", "-out", "ca.crt"], dir);
  writeFileSync(join(dir, "server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  ssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key", "-out", "server.csr"], dir);
  ssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
    "-extfile", "server.ext", "-out", "server.crt"], dir);
  writeFileSync(join(dir, "client.ext"), "extendedKeyUsage=clientAuth\n");
  ssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=api-user", "-keyout", "client.key", "-out", "client.csr"], dir);
  ssl(["x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
    "-extfile", "client.ext", "-out", "client.crt"], dir);
  const read = (f: string) => readFileSync(join(dir, f), "utf8");
  return {
    dir,
    caCertPath: join(dir, "ca.crt"),
    caCert: read("ca.crt"),
    serverCert: read("server.crt"),
    serverKey: read("server.key"),
    clientCert: read("client.crt"),
    clientKey: read("client.key"),
    clientCertPath: join(dir, "client.crt"),
    clientKeyPath: join(dir, "client.key"),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
