import { connect, type Socket } from 'node:net';

const MARKER = Buffer.from('<![CDATA[]]>\n', 'latin1');

/** A raw client: writes bytes and collects the answer up to the end marker, byte for byte. */
export class RawClient {
  private buffered = Buffer.alloc(0);
  private waiter: (() => void) | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.waiter?.();
    });
  }

  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  async exchange(request: Buffer): Promise<Buffer> {
    this.socket.write(request);
    while (!this.endsWithMarker()) await new Promise<void>((resolve) => (this.waiter = resolve));
    const reply = this.buffered;
    this.buffered = Buffer.alloc(0);
    return reply;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.destroy();
    });
  }

  private endsWithMarker(): boolean {
    return (
      this.buffered.length >= MARKER.length && this.buffered.subarray(-MARKER.length).equals(MARKER)
    );
  }
}
