// A local stand-in for Slack's Socket Mode WebSocket server: the RFC 6455 handshake and text/ping/close frames, enough
// for @slack/socket-mode's client. It says `hello` on connect, delivers envelopes, records acks, and can drop every
// connection abruptly (no close frame) as a network failure would. (`ws` is not installed: the client uses undici.)
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

export interface SocketModeAck {
  envelope_id: string;
  payload?: unknown;
}

export interface FakeSocketMode {
  /** ws://127.0.0.1:<port>/link — hand it out from apps.connections.open. */
  url: string;
  /** Connections accepted so far (each one got a `hello`). */
  readonly connections: number;
  /** Sockets open right now. */
  readonly open: number;
  acks: SocketModeAck[];
  /** Sends an envelope to the newest connection; resolves with its ack. */
  deliver(type: string, payload: unknown): Promise<SocketModeAck>;
  /** Destroys every connection without a close frame. */
  dropAll(): void;
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const sockets = new Set<Duplex>();
  const acks: SocketModeAck[] = [];
  let connections = 0;
  let latest: Duplex | undefined;
  let envelopeCounter = 0;
  const server: Server = createServer((_req, res) => {
    res.writeHead(426);
    res.end();
  });

  server.on('upgrade', (req, socket) => {
    const key = req.headers['sec-websocket-key'];
    if (typeof key !== 'string') return socket.destroy();
    const accept = createHash('sha1').update(`${key}${GUID}`).digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    connections += 1;
    sockets.add(socket);
    latest = socket;
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => sockets.delete(socket));
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const frame = readFrame(buffered);
        if (!frame) break;
        buffered = buffered.subarray(frame.length);
        if (frame.opcode === 0x1) acks.push(JSON.parse(frame.payload.toString('utf8')) as SocketModeAck);
        else if (frame.opcode === 0x9) socket.write(encodeFrame(0xa, frame.payload));
        else if (frame.opcode === 0x8) {
          socket.write(encodeFrame(0x8, frame.payload));
          socket.end();
        }
      }
    });
    socket.write(
      encodeFrame(
        0x1,
        Buffer.from(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0APP00001' } })),
      ),
    );
  });

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  const waitFor = async (predicate: () => boolean, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error('fake Socket Mode: timed out');
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  return {
    url: `ws://127.0.0.1:${port}/link`,
    get connections() {
      return connections;
    },
    get open() {
      return sockets.size;
    },
    acks,
    async deliver(type, payload) {
      if (!latest || !sockets.has(latest)) throw new Error('fake Socket Mode: no open connection');
      envelopeCounter += 1;
      const envelopeId = `env-${envelopeCounter}`;
      latest.write(
        encodeFrame(
          0x1,
          Buffer.from(
            JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api' }),
          ),
        ),
      );
      await waitFor(() => acks.some((a) => a.envelope_id === envelopeId));
      return acks.find((a) => a.envelope_id === envelopeId) as SocketModeAck;
    },
    dropAll() {
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    waitFor,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([0x80 | opcode, length])
      : length < 65_536
        ? Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff])
        : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigEndian64(length)]);
  return Buffer.concat([header, payload]);
}

function bigEndian64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

/** One complete (client-masked) frame at the start of `data`, or undefined if more bytes are needed. */
function readFrame(data: Buffer): { opcode: number; payload: Buffer; length: number } | undefined {
  if (data.length < 2) return undefined;
  const opcode = (data[0] as number) & 0x0f;
  const masked = ((data[1] as number) & 0x80) !== 0;
  let length = (data[1] as number) & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (data.length < 4) return undefined;
    length = data.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (data.length < 10) return undefined;
    length = Number(data.readBigUInt64BE(2));
    offset = 10;
  }
  const maskOffset = offset;
  if (masked) offset += 4;
  if (data.length < offset + length) return undefined;
  const payload = Buffer.from(data.subarray(offset, offset + length));
  if (masked) {
    for (let i = 0; i < payload.length; i += 1) {
      payload[i] = (payload[i] as number) ^ (data[maskOffset + (i % 4)] as number);
    }
  }
  return { opcode, payload, length: offset + length };
}
