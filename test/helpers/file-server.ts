import * as http from 'http';
import type { AddressInfo, Socket } from 'net';

/** How the server answers one request for a file. */
export type Behaviour =
  /** the file (206 and the rest for a `Range: bytes=N-` request) */
  | 'serve'
  /** the whole file with 200, ignoring any Range header */
  | 'ignore-range'
  /** headers and the first `bytes` bytes, then the connection is cut */
  | { breakAfter: number }
  /** headers and the first `bytes` bytes, then nothing (the connection stays open) */
  | { stallAfter: number }
  /** no answer at all */
  | 'silent';

export interface FileServer {
  url: string;
  /** Every request: the file name and its Range header. */
  requests: { file: string; range?: string }[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 serving `files` by name; `behaviour(file, attempt)` decides each answer
 * (attempt counts from 0 per file). No traffic leaves the machine; `close()` ends open connections too.
 */
export async function startFileServer(
  files: Record<string, Buffer>,
  behaviour: (file: string, attempt: number) => Behaviour = () => 'serve',
): Promise<FileServer> {
  const requests: FileServer['requests'] = [];
  const attempts = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server = http.createServer((request, response) => {
    const file = decodeURIComponent((request.url ?? '/').split('/').pop() ?? '');
    const range = request.headers.range;
    requests.push({ file, range });
    const body = files[file];
    if (!body) {
      response.writeHead(404).end();
      return;
    }
    const attempt = attempts.get(file) ?? 0;
    attempts.set(file, attempt + 1);
    const how = behaviour(file, attempt);
    if (how === 'silent') return;
    const start = how !== 'ignore-range' && range ? Number(/^bytes=(\d+)-$/.exec(range)?.[1]) : 0;
    if (start >= body.length) {
      response.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
      return;
    }
    const rest = body.subarray(start);
    const headers = { 'Content-Length': String(rest.length), 'Accept-Ranges': 'bytes' };
    if (start > 0) response.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}` });
    else response.writeHead(200, headers);
    if (typeof how === 'object') {
      const cut = 'breakAfter' in how ? how.breakAfter : how.stallAfter;
      response.write(rest.subarray(0, cut), () => {
        if ('breakAfter' in how) response.socket?.destroy();
      });
      return;
    }
    response.end(rest);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
