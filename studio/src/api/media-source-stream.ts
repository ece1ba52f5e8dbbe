/**
 * Plays a fragmented MP4 response while it downloads: the bytes go into a MediaSource SourceBuffer as they
 * arrive, so a <video> shows the first 0.5 s fragment of a preview while the server is still encoding the rest
 * (a Blob would wait for the whole window). The codec string MSE needs is read from the init segment itself
 * (avcC of the video track, mp4a for AAC) rather than assumed, since the server's encoder picks the level.
 */

/** Top-level boxes complete in `buf`: [type, start, end]. */
function boxes(buf: Uint8Array, from = 0, to = buf.length): Array<[string, number, number]> {
  const out: Array<[string, number, number]> = [];
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let at = from;
  while (at + 8 <= to) {
    const size = view.getUint32(at);
    if (size < 8 || at + size > to) break;
    out.push([String.fromCharCode(...buf.subarray(at + 4, at + 8)), at, at + size]);
    at += size;
  }
  return out;
}

function indexOfType(buf: Uint8Array, type: string, from: number, to: number): number {
  const [a, b, c, d] = [...type].map((ch) => ch.charCodeAt(0));
  for (let i = from; i + 4 <= to; i++) if (buf[i] === a && buf[i + 1] === b && buf[i + 2] === c && buf[i + 3] === d) return i;
  return -1;
}

const hex = (n: number) => n.toString(16).padStart(2, '0');

/** `avc1.PPCCLL, mp4a.40.2` from the moov of an init segment, or null while the moov is not complete. */
export function codecsOfInit(buf: Uint8Array): string | null {
  const moov = boxes(buf).find(([t]) => t === 'moov');
  if (!moov) return null;
  const [, start, end] = moov;
  const codecs: string[] = [];
  const avcC = indexOfType(buf, 'avcC', start, end);
  // avcC payload: configurationVersion, AVCProfileIndication, profile_compatibility, AVCLevelIndication.
  if (avcC >= 0) codecs.push(`avc1.${hex(buf[avcC + 5]!)}${hex(buf[avcC + 6]!)}${hex(buf[avcC + 7]!)}`);
  if (indexOfType(buf, 'mp4a', start, end) >= 0) codecs.push('mp4a.40.2');
  return codecs.join(', ');
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Streams `body` into a new MediaSource. Returns its object URL at once (set it as the <video>'s src);
 * `done` settles when every byte is appended (or the stream/append failed). Abort with `signal`.
 */
export function streamToMediaSource(
  body: ReadableStream<Uint8Array>,
  signal: AbortSignal,
  /** Timing: `sourceopen`, `first_chunk`, `init_appended`, `first_fragment_appended`, `all_appended`. */
  onMark?: (name: string) => void,
): { url: string; done: Promise<void> } {
  const ms = new MediaSource();
  const url = URL.createObjectURL(ms);
  const done = (async () => {
    await new Promise<void>((resolve) => ms.addEventListener('sourceopen', () => resolve(), { once: true }));
    onMark?.('sourceopen');
    const reader = body.getReader();
    signal.addEventListener('abort', () => void reader.cancel().catch(() => undefined), { once: true });
    let sb: SourceBuffer | null = null;
    let pending: Uint8Array = new Uint8Array(0);
    const append = (bytes: Uint8Array) =>
      new Promise<void>((resolve, reject) => {
        const buffer = sb!;
        const onEnd = () => {
          buffer.removeEventListener('error', onError);
          resolve();
        };
        const onError = () => {
          buffer.removeEventListener('updateend', onEnd);
          reject(new Error('the browser could not decode the preview'));
        };
        buffer.addEventListener('updateend', onEnd, { once: true });
        buffer.addEventListener('error', onError, { once: true });
        buffer.appendBuffer(bytes as Uint8Array<ArrayBuffer>);
      });
    for (;;) {
      const { value, done: finished } = await reader.read();
      if (signal.aborted || ms.readyState !== 'open') return;
      if (value && value.length > 0) {
        onMark?.('first_chunk');
        if (!sb) {
          pending = concat(pending, value);
          const codecs = codecsOfInit(pending);
          if (codecs === null) continue;
          sb = ms.addSourceBuffer(`video/mp4; codecs="${codecs}"`);
          await append(pending);
          onMark?.('init_appended');
        } else await append(value);
        if (sb.buffered.length > 0) onMark?.('first_fragment_appended');
      }
      if (finished) break;
    }
    onMark?.('all_appended');
    if (ms.readyState === 'open' && sb && !sb.updating) ms.endOfStream();
  })();
  return { url, done };
}
