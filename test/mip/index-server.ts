// test/mip/index-server.ts: a package index and file host on 127.0.0.1 (node:http, port 0) for
// the mip tests: micropython-lib's layout (package/MPY/NAME/VERSION.json, file/HH/HASH) built
// from file contents, plus any other path a test puts, and the requests it received.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a path answers: a body (200) or an HTTP status with no body. */
type Answer = { body: Uint8Array } | { status: number };

export interface IndexPackage {
  /** Target path -> contents; served by hash under file/. */
  files: Record<string, string | Uint8Array>;
  deps?: Array<[string, string]>;
  urls?: Array<[string, string]>;
  version?: string;
}

export function shortHash(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 8);
}

export class IndexServer {
  /** Paths requested, in order (`/package/6/foo/latest.json`). */
  readonly requests: string[] = [];
  private readonly answers = new Map<string, Answer>();
  private constructor(
    private readonly server: Server,
    /** `http://127.0.0.1:PORT`, no trailing slash. */
    readonly url: string,
  ) {}

  static async start(): Promise<IndexServer> {
    let self: IndexServer | undefined;
    const server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      self!.requests.push(path);
      const answer = self!.answers.get(path);
      if (!answer) response.writeHead(404).end('not found');
      else if ('status' in answer) response.writeHead(answer.status).end();
      else response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    self = new IndexServer(server, `http://127.0.0.1:${port}`);
    return self;
  }

  /** Serve `body` at `path` (`/org/repo/HEAD/package.json`). */
  put(path: string, body: string | Uint8Array | object): void {
    const bytes =
      typeof body === 'string' || body instanceof Uint8Array
        ? Buffer.from(body)
        : Buffer.from(JSON.stringify(body));
    this.answers.set(path, { body: bytes });
  }

  /** Answer `path` with an HTTP error. */
  fail(path: string, status: number): void {
    this.answers.set(path, { status });
  }

  /** An index package: package/MPY/NAME/VERSION.json listing its files by hash under file/. */
  addPackage(name: string, pkg: IndexPackage, mpy = '6', version = 'latest'): void {
    const hashes = Object.entries(pkg.files).map(([path, data]) => {
      const hash = shortHash(data);
      this.put(`/file/${hash.slice(0, 2)}/${hash}`, data);
      return [path, hash];
    });
    this.put(`/package/${mpy}/${name}/${version}.json`, {
      v: 1,
      hashes,
      ...(pkg.urls ? { urls: pkg.urls } : {}),
      ...(pkg.deps ? { deps: pkg.deps } : {}),
      ...(pkg.version ? { version: pkg.version } : {}),
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
